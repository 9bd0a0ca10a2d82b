"""The course's pages in the app (AppTest): a chapter as a trainee (exercise checked and
recorded, quiz taken) and as a trainer (the class's table), refused for a manager; the
survey's chart and the class progress for the trainer; and the one hook that notes the
validation messages a trainee meets."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core.clock import now
from core.vocab import Role
from db.models import CourseProgress, CourseQuizResult, TrainingMistake
from services.training.course import chapter
from tests.support.app import APP, logged_in, texts
from tests.support.course import CourseClass, make_class
from tests.support.factories import make_user

SECURITY = "screens/training/chapter_security.py"


def _as(username: str, script: str = APP) -> AppTest:
    at = AppTest.from_file(script, default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["crm_login_at"] = now()
    return at


def _subheaders(at: AppTest) -> list[str]:
    return [h.value for h in at.subheader]


def _class(db: Session) -> CourseClass:
    return make_class(db, trainer=make_user(db, "trainer", Role.TRAINER, display_name="讲师"))


def test_a_trainee_checks_an_exercise_and_takes_the_quiz(db: Session) -> None:
    course = _class(db)
    at = _as(course.trainees[0].username).run()
    at.switch_page(SECURITY).run()
    assert not at.exception, at.exception
    assert "客户信息安全" in texts(at) and "学习目标" in _subheaders(at)
    at.radio(key="course_security_trainer_phone_answer").set_value("b").run()
    at.button(key="course_security_trainer_phone_check").click().run()
    assert "答案不正确" in texts(at)
    at.radio(key="course_security_trainer_phone_answer").set_value("a").run()
    at.button(key="course_security_trainer_phone_check").click().run()
    assert not at.exception, at.exception
    assert "完成！已记录。" in [s.value for s in at.success]
    rows = db.scalars(select(CourseProgress)).all()
    assert [(r.user_id, r.exercise, r.answer) for r in rows] == [
        (course.trainees[0].id, "trainer_phone", "a")]
    for q in chapter("security").quiz:
        at.radio(key=f"course_quiz_security_{q.id}").set_value(q.correct)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    assert "本次得分 4 / 4。" in [s.value for s in at.success]
    assert db.scalar(select(CourseQuizResult.score)) == 4
    assert "本班本章完成情况" not in _subheaders(at)  # the class view is the trainer's


def test_an_action_exercise_names_what_is_missing(db: Session) -> None:
    course = _class(db)
    at = _as(course.trainees[0].username).run()
    at.switch_page("screens/training/chapter_collect.py").run()
    at.button(key="course_collect_org_customer_check").click().run()
    assert "还没有找到你录入的机构客户" in texts(at)
    assert not db.scalars(select(CourseProgress)).all()


def test_the_trainer_sees_the_class_in_the_chapter(db: Session) -> None:
    course = _class(db)
    db.add(CourseProgress(user_id=course.trainees[1].id, chapter="security",
                          exercise="backup_keys", done_at=now(), answer="c"))
    db.commit()
    at = _as("trainer").run()
    at.switch_page(SECURITY).run()
    assert not at.exception, at.exception
    assert "本班本章完成情况" in _subheaders(at)
    table = at.dataframe[-1].value
    assert list(table["学员"]) == ["学员01", "学员02"]
    column = next(c for c in table.columns if c.startswith("练习 5 · manage.py backup"))
    assert table[column].tolist()[0] == "—" and table[column].tolist()[1] != "—"


def test_a_manager_is_refused_the_course(db: Session) -> None:
    make_user(db, "manager", Role.MANAGER)
    db.commit()
    alone = logged_in(Role.MANAGER, str(Path(APP).parent / SECURITY)).run()
    assert not alone.exception
    assert "无权使用" in texts(alone)
    assert "客户信息安全" not in texts(alone)


def test_the_trainer_sees_ratings_and_progress(db: Session) -> None:
    course = _class(db)
    at = _as(course.trainees[0].username).run()
    at.switch_page("screens/training/course_feedback.py").run()
    at.radio(key="course_feedback_rating").set_value(4)
    at.text_area(key="course_feedback_comment").set_value("练习很实用")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    assert "评价已保存，谢谢！" in [s.value for s in at.success]
    assert not at.get("plotly_chart")  # the results are the trainer's
    db.add(TrainingMistake(user_id=course.trainees[0].id, class_id=course.klass.id,
                           message_key="validation.mobile.invalid", field="mobile",
                           created_at=now()))
    db.commit()
    trainer = _as("trainer").run()
    trainer.switch_page("screens/training/course_feedback.py").run()
    assert not trainer.exception, trainer.exception
    assert trainer.get("plotly_chart") and "共 1 份评价" in texts(trainer)
    trainer.switch_page("screens/training/class_progress.py").run()
    assert not trainer.exception, trainer.exception
    frames = [d.value.to_string() for d in trainer.dataframe]
    assert any("学员01" in f for f in frames)
    assert any("手机号" in f for f in frames)  # the common mistake, by its field


def test_a_trainees_validation_messages_are_noted_once(db: Session) -> None:
    course = _class(db)
    make_user(db, "clerk", Role.CLERK)
    db.commit()
    for username in ("clerk", course.trainees[0].username):
        at = _as(username).run()
        at.switch_page("screens/customers/new.py").run()
        at.text_input(key="new_name").set_value("王五")
        at.text_input(key="new_mobile").set_value("12345")
        at.get("form_submit_button")[0].click().run()
        assert not at.exception, at.exception
        assert at.error  # the message under the field
        at.run()  # shown again: still one meeting
    rows = db.scalars(select(TrainingMistake)).all()
    assert [(r.user_id, r.field) for r in rows] == [(course.trainees[0].id, "mobile")]
    assert rows[0].message_key.startswith("validation.")
