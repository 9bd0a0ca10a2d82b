"""课程 1 概述与分类: the chapter's goals, explanation, checked exercises and quiz (issue 17)."""

from components.course_ui import chapter_page

chapter_page("overview")
