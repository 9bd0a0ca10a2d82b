"""课程 5 客户分析: the chapter's goals, explanation, checked exercises and quiz (issue 17)."""

from components.course_ui import chapter_page

chapter_page("analysis")
