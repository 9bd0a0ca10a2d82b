"""课程 2 信息采集: the chapter's goals, explanation, checked exercises and quiz (issue 17)."""

from components.course_ui import chapter_page

chapter_page("collect")
