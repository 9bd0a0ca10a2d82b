"""Bug 3 of issue 14: a user the admin creates appears at once (table and picker), and the
create form forgets the password it was given."""

from __future__ import annotations

from core.vocab import Role
from tests.support.app import logged_in


def test_created_user_appears_at_once_and_the_form_is_cleared(app_people) -> None:
    at = logged_in(Role.ADMIN).run()
    at.switch_page("screens/admin/users.py").run()
    at.text_input[0].set_value("newclerk")
    at.text_input[1].set_value("新来的")
    at.text_input[2].set_value("long-enough-pw")
    at.button[0].click().run()
    assert not at.exception
    assert any("newclerk" in s.value for s in at.success)
    # The users table and the picker already list the new account ...
    assert "newclerk" in at.dataframe[0].value.to_string()
    picker = next(s for s in at.selectbox if s.label == "选择用户")
    assert any("newclerk" in option for option in picker.options)
    # ... and the form kept no password (nor the rest of what was typed).
    assert [t.value for t in at.text_input[:3]] == ["", "", ""]


def test_refused_creation_keeps_the_input_and_role_change_shows_at_once(app_people) -> None:
    at = logged_in(Role.ADMIN).run()
    at.switch_page("screens/admin/users.py").run()
    at.text_input[0].set_value("another")
    at.text_input[2].set_value("short")
    at.button[0].click().run()
    assert at.error and at.text_input[0].value == "another"
    picker = next(s for s in at.selectbox if s.label == "选择用户")
    picker.set_value("trainer").run()
    role_box = [s for s in at.selectbox if s.label == "角色"][-1]
    role_box.set_value("manager")
    next(b for b in at.button if b.label == "更改角色").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table[table["用户名"] == "trainer"]["角色"].tolist() == ["经理"]
