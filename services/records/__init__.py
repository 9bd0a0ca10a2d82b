"""Service records of a customer: each module adds, corrects and deletes one kind, audited.

- ``orders`` (交易记录: ``add_order``, ``update_order``, ``delete_order``, ``next_order_no``).
- ``contacts`` (沟通记录: ``add_interaction``, ``update_interaction``, ``delete_interaction``).
- ``visits`` (回访: ``plan_visit``, ``record_visit``, ``worklist``, ``reassign``) and
  ``visit_planning`` (the rules that plan visits by themselves: ``on_first_orders``,
  ``on_complaint_resolved``, ``plan_periodic``).
- ``complaints`` (投诉处理: ``create_complaint``, the workflow ``start`` / ``add_step`` /
  ``resolve`` / ``close`` / ``reopen`` / ``assign``, the ``queue``).
- ``surveys`` (满意度调查: ``add_survey``, ``satisfaction_summary``).
- ``contracts`` (合同: ``add_contract``, ``update_contract``, ``customer_contracts``),
  ``renewals`` (续约管理: ``record_outcome``, ``due_renewals``, ``renewal_records``) and
  ``renewal_targets`` (续约目标: ``set_target``, ``target_for``).
- ``input``: ``Checker`` and ``InvalidRecord``, the input checks every record form shares.

Import the module you need; this face loads nothing.
"""
