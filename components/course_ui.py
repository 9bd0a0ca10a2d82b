"""The course's pages (issue 17): a chapter (goals, explanation, exercises with their 检查
button, the quiz, and for a trainer the class's progress in it), the course's satisfaction
survey, and the trainer's view of a class. Page files call ``chapter_page`` etc. with ids."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from components import charts
from components.actions import perform, read
from components.i18n import lang, lbl, tr
from components.navigation import link
from components.session import require
from components.tables import data_table
from components.text import plain
from core import clock
from core.i18n import has
from services.access.roles import Actor, Perm
from services.training.course import (
    CHAPTER_IDS,
    TOP_RISK,
    Chapter,
    ClassView,
    Kind,
    chapter,
    check_and_record,
    class_view,
    classes,
    done,
    feedback_summary,
    my_best,
    my_feedback,
    save_feedback,
    submit_quiz,
    text_params,
    top_risk,
)
from services.training.course.content import Exercise

FLASH = "course_flash"


def _opened_at(chapter_id: str) -> datetime:
    """When this browser session first opened the chapter: the start of what counts for a
    person outside a class (a trainer trying the exercises)."""
    return st.session_state.setdefault(f"course_opened_{chapter_id}", clock.now())


def _ex_key(ch: Chapter, ex: Exercise, part: str) -> str:
    return f"course.ex.{ch.id}.{ex.id}.{part}"


def _option_label(ch: Chapter, ex: Exercise, option: str, params: dict[str, object]) -> str:
    key = _ex_key(ch, ex, f"opt.{option}")
    return tr(key, **params) if has(key) else lbl(option)


def _flash(key: str) -> None:
    """The outcome of the last 检查 of this exercise, kept across the rerun that follows."""
    found = st.session_state.pop(f"{FLASH}_{key}", None)
    if found is None:
        return
    ok, message = found
    if ok:
        st.success(message, icon=":material/check_circle:")
    else:
        st.warning(tr("course.check.failed", reason=message), icon=":material/pending:")


def _exercise(actor: Actor, ch: Chapter, ex: Exercise, n: int,
              finished: dict[tuple[str, str], Any]) -> None:
    params = text_params(ch.id, ex.id)
    row = finished.get((ch.id, ex.id))
    key = f"course_{ch.id}_{ex.id}"
    with st.container(border=True, key=f"{key}_box"):
        head, status = st.columns([3, 2])
        head.markdown(f"**{tr('course.exercise.n', n=n)}**")
        if row is not None:
            status.badge(tr("course.exercise.done", when=clock.shown(row.done_at)),
                         icon=":material/check:", color="green")
        else:
            status.badge(tr("course.exercise.open"), color="gray")
        st.markdown(plain(tr(_ex_key(ch, ex, "task"), **params)))
        if has(_ex_key(ch, ex, "hint")):
            st.caption(plain(tr(_ex_key(ch, ex, "hint"))))
        if ex.page:
            link(ex.page, "course.exercise.go", actor)
        if ch.id == "analysis" and ex.id == "visit_top_risk":
            _top_risk(actor)
        answer: str | None = None
        stored = getattr(row, "answer", None)
        if ex.kind == Kind.CHOICE:
            if f"{key}_answer" not in st.session_state and stored in ex.options:
                st.session_state[f"{key}_answer"] = stored
            answer = st.radio(tr("course.exercise.answer"), ex.options, index=None,
                              key=f"{key}_answer",
                              format_func=lambda o: _option_label(ch, ex, o, params))
        elif ex.kind == Kind.ANSWER:
            if f"{key}_answer" not in st.session_state and stored:
                st.session_state[f"{key}_answer"] = stored
            answer = st.text_area(tr("course.exercise.answer"), key=f"{key}_answer",
                                  max_chars=2000, height=80)
        _flash(key)
        if st.button(tr("course.check"), key=f"{key}_check", icon=":material/task_alt:"):
            opened = _opened_at(ch.id)
            outcome = perform(lambda s: check_and_record(s, actor, ch.id, ex.id,
                                                         opened_at=opened, answer=answer))
            if outcome.ok and outcome.value is not None:
                st.session_state[f"{FLASH}_{key}"] = (outcome.value.ok,
                                                      outcome.value.message(lang()))
                st.rerun()


def _top_risk(actor: Actor) -> None:
    rows = read(lambda s: top_risk(s, actor))
    st.caption(tr("course.top_risk.title", n=TOP_RISK))
    if not rows:
        st.caption(tr("course.top_risk.none"))
    for r in rows:
        st.markdown("- " + plain(tr("course.top_risk.row", customer_no=r.customer_no,
                                    name=r.name, tier=lbl(r.tier), score=r.score)))


def _quiz(actor: Actor, ch: Chapter) -> None:
    st.subheader(tr("course.quiz"))
    st.caption(tr("course.quiz.help"))
    best = read(lambda s: my_best(s, actor, ch.id))
    if best is None:
        st.caption(tr("course.quiz.none"))
    else:
        st.info(tr("course.quiz.best", score=best.score, total=best.total,
                   attempts=best.attempts), icon=":material/military_tech:")
    if done_msg := st.session_state.pop(f"{FLASH}_quiz_{ch.id}", None):
        st.success(done_msg, icon=":material/grading:")
    with st.form(f"course_quiz_{ch.id}"):
        picked: dict[str, str | None] = {}
        for i, q in enumerate(ch.quiz, start=1):
            base = f"course.quiz.{ch.id}.{q.id}"
            picked[q.id] = st.radio(
                f"{tr('course.quiz.q', n=i)} · {tr(base + '.text')}", q.options, index=None,
                key=f"course_quiz_{ch.id}_{q.id}",
                format_func=lambda o, base=base: tr(f"{base}.opt.{o}"))
        submitted = st.form_submit_button(tr("course.quiz.submit"), type="primary",
                                          icon=":material/send:")
    if submitted:
        missing = sum(1 for v in picked.values() if v is None)
        if missing:
            st.warning(tr("course.quiz.unanswered", n=missing))
            return
        outcome = perform(lambda s: submit_quiz(s, actor, ch.id, picked))
        if outcome.ok and outcome.value is not None:
            st.session_state[f"{FLASH}_quiz_{ch.id}"] = tr(
                "course.quiz.result", score=outcome.value.score, total=outcome.value.total)
            st.rerun()


def _chapter_class_view(actor: Actor, ch: Chapter) -> None:
    """The trainer's table for this chapter: per trainee, when each exercise was finished."""
    st.subheader(tr("course.class_view"))
    view = read(lambda s: class_view(s, actor))
    if not view.trainees:
        st.caption(tr("course.class_view.none"))
        return
    wanted = {(ch.id, ex.id) for ex in ch.exercises}
    st.caption(tr("course.class_view.summary", trainees=len(view.trainees),
                  finished=sum(1 for p in view.trainees
                               if wanted <= set(view.done.get(p.id, {})))))
    columns = [_exercise_name(ch.id, ex.id) for ex in ch.exercises]
    rows = []
    for person in view.trainees:
        finished = view.done.get(person.id, {})
        best = view.quizzes.get((person.id, ch.id))
        rows.append({tr("course.progress.trainee"): person.display_name,
                     **{col: clock.shown(finished[(ch.id, ex.id)])
                        if (ch.id, ex.id) in finished else "—"
                        for col, ex in zip(columns, ch.exercises, strict=True)},
                     tr("course.quiz"): f"{best.score}/{best.total}" if best else "—"})
    data_table(pd.DataFrame(rows), hide_index=True, width="stretch")


def chapter_page(chapter_id: str) -> None:
    """One chapter of the course, for trainees and trainers."""
    user = require(Perm.COURSE)
    actor = user.actor()
    ch = chapter(chapter_id)
    _opened_at(ch.id)
    st.title(tr(f"course.{ch.id}.title"))
    st.caption(tr("course.chapter_of", n=CHAPTER_IDS.index(ch.id) + 1, total=len(CHAPTER_IDS)))
    st.subheader(tr("course.goals"))
    st.markdown(tr(f"course.{ch.id}.goals"))  # catalog text, no user text
    st.subheader(tr("course.explain"))
    st.markdown(tr(f"course.{ch.id}.explain"))
    st.subheader(tr("course.exercises"))
    st.caption(tr("course.exercises.help"))
    finished = read(lambda s: done(s, actor, ch.id))
    for n, ex in enumerate(ch.exercises, start=1):
        _exercise(actor, ch, ex, n, finished)
    _quiz(actor, ch)
    if actor.can(Perm.RUN_CLASS):
        _chapter_class_view(actor, ch)


# ---- the course's satisfaction survey -------------------------------------------------------

def feedback_page() -> None:
    """Every course user rates the course; a trainer also sees the results as a chart."""
    user = require(Perm.COURSE)
    actor = user.actor()
    st.title(tr("course.feedback.title"))
    st.caption(tr("course.feedback.intro"))
    if saved := st.session_state.pop(f"{FLASH}_feedback", None):
        st.success(saved, icon=":material/check_circle:")
    levels = charts.satisfaction_levels()
    mine = read(lambda s: my_feedback(s, actor))
    if mine is not None:
        st.caption(tr("course.feedback.yours", rating=dict(levels)[mine.rating],
                      when=clock.shown(mine.updated_at)))
    with st.form("course_feedback", border=True):
        scores = [score for score, _ in levels]
        rating = st.radio(tr("course.feedback.rating"), scores, horizontal=True,
                          index=scores.index(mine.rating) if mine else None,
                          format_func=dict(levels).get, key="course_feedback_rating")
        comment = st.text_area(tr("course.feedback.comment"), max_chars=1000,
                               value=(mine.comment or "") if mine else "",
                               key="course_feedback_comment")
        submitted = st.form_submit_button(tr("course.feedback.save"), type="primary",
                                          icon=":material/send:")
    if submitted:
        outcome = perform(lambda s: save_feedback(s, actor, rating, comment))
        if outcome.ok:
            st.session_state[f"{FLASH}_feedback"] = tr("course.feedback.saved")
            st.rerun()
    if actor.can(Perm.RUN_CLASS):
        _feedback_results(actor)


def _feedback_results(actor: Actor, class_id: int | None = None) -> None:
    st.subheader(tr("course.feedback.results"))
    summary = read(lambda s: feedback_summary(s, actor, class_id))
    if not summary.total:
        st.caption(tr("course.feedback.none"))
        return
    st.caption(tr("course.feedback.count", n=summary.total, avg=f"{summary.average:.2f}"))
    charts.show(charts.satisfaction_distribution(list(summary.counts)), "course_feedback_chart")
    if summary.comments:
        levels = dict(charts.satisfaction_levels())
        st.markdown(f"**{tr('course.feedback.comments')}**")
        data_table(pd.DataFrame([{tr("course.progress.when"): clock.shown(when),
                                  tr("course.feedback.rating"): levels[rating],
                                  tr("course.feedback.comment"): text}
                                 for when, rating, text in summary.comments]),
                   hide_index=True, width="stretch")


# ---- the trainer's view of a class ----------------------------------------------------------

def _exercise_name(chapter_id: str, exercise_id: str) -> str:
    """"练习 n · the start of its task", so the trainer's tables say which exercise it is."""
    ids = [e.id for e in chapter(chapter_id).exercises]
    if exercise_id not in ids:
        return exercise_id
    task = tr(f"course.ex.{chapter_id}.{exercise_id}.task", **text_params(chapter_id,
                                                                          exercise_id))
    short = task if len(task) <= 24 else task[:23] + "…"
    return f"{tr('course.exercise.n', n=ids.index(exercise_id) + 1)} · {short}"


def _progress_tables(view: ClassView) -> None:
    st.caption(tr("course.progress.summary", trainees=len(view.trainees),
                  done=sum(len(d) for d in view.done.values())))
    summary = []
    for person in view.trainees:
        row: dict[str, object] = {tr("course.progress.trainee"): person.display_name,
                                  tr("course.progress.done_count"):
                                      len(view.done.get(person.id, {}))}
        for n, chapter_id in enumerate(CHAPTER_IDS, start=1):
            best = view.quizzes.get((person.id, chapter_id))
            row[f"{tr('course.quiz')} {n}"] = f"{best.score}/{best.total}" if best else "—"
        summary.append(row)
    st.markdown(f"**{tr('course.progress.quizzes')}**")
    data_table(pd.DataFrame(summary), hide_index=True, width="stretch")
    st.markdown(f"**{tr('course.progress.exercises')}**")
    names = {p.id: p.display_name for p in view.trainees}
    detail = [{tr("course.progress.trainee"): names[user_id],
               tr("course.progress.chapter"): tr(f"nav.course.{chapter_id}"),
               tr("course.progress.exercise"): _exercise_name(chapter_id, exercise_id),
               tr("course.progress.when"): clock.shown(when)}
              for user_id, finished in view.done.items()
              for (chapter_id, exercise_id), when in sorted(finished.items(),
                                                           key=lambda kv: kv[1])]
    if detail:
        data_table(pd.DataFrame(detail), hide_index=True, width="stretch")
    else:
        st.caption(tr("course.exercise.open"))
    st.markdown(f"**{tr('course.progress.mistakes')}**")
    if not view.mistakes:
        st.caption(tr("course.progress.mistakes.none"))
        return
    data_table(pd.DataFrame([{tr("course.progress.mistake"): m.text(lang()),
                              tr("course.progress.field"):
                                  tr(f"field.{m.field}") if m.field and has(f"field.{m.field}")
                                  else (m.field or "—"),
                              tr("course.progress.times"): m.times,
                              tr("course.progress.trainees"): m.trainees}
                             for m in view.mistakes]),
               hide_index=True, width="stretch")


def progress_page() -> None:
    """Per trainee of a class: exercises finished and when, best quiz scores; the class's
    common mistakes; the course's ratings."""
    user = require(Perm.RUN_CLASS)
    actor = user.actor()
    st.title(tr("course.progress.title"))
    st.caption(tr("course.progress.intro"))
    found = read(lambda s: [(c.id, c.name) for c in classes(s, actor)])
    options: list[int | None] = [None, *[cid for cid, _ in found]]
    names = dict(found)
    class_id = st.selectbox(tr("course.progress.class"), options, key="course_progress_class",
                            format_func=lambda c: tr("course.progress.all_classes")
                            if c is None else names[c])
    view = read(lambda s: class_view(s, actor, class_id))
    if not view.trainees:
        st.caption(tr("course.class_view.none"))
    else:
        _progress_tables(view)
    _feedback_results(actor, class_id)
