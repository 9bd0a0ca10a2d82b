"""课程 6 回访、投诉与满意度: goals, explanation, checked exercises and quiz (issue 17)."""

from components.course_ui import chapter_page

chapter_page("service")
