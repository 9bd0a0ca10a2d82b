"""课程 3 建立档案: the chapter's goals, explanation, checked exercises and quiz (issue 17)."""

from components.course_ui import chapter_page

chapter_page("profile")
