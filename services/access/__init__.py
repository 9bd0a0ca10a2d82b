"""Who may do what, who did what, and the keys that protect the data (spec: data-protection.md).

- ``roles``: ``Actor``, ``Perm``, ``permissions``, ``PermissionDenied`` (checked server side).
- ``users``: accounts, roles, passwords, deactivation (``create_user``, ``change_role`` ...).
- ``auth``: ``verify_login``, ``session_user``, session tokens; ``passwords`` (argon2id hashing)
  and ``login_locks`` (failed-login counts and locks).
- ``masking``: ``mask_field``, ``mask_mobile``, ``mask_email``, ``mask_id_number``.
- ``probes``: look-ups through keys a role may not see in full (counted and limited);
  ``holds``: import rows held for review for the same reason.
- ``audit``: every audit write (``record``, ``record_many``, ``insert_rows``, ``append``) and
  ``query``; ``audit_chain``: the hash chain (``verify``, ``rekey``); ``audit_view``: the log
  as a person reads it (``lines``, ``action_label``).
- ``crypto`` (``encrypt``, ``decrypt``, ``keyed_hash``), ``secrets`` (``get_secrets``) and
  ``keys`` (``check_keys``, ``rotate_keys``): the keys protecting 证件号码.

Import the module you need; this face loads nothing.
"""
