"""课程满意度评价: the course's own 5-level survey; the trainer sees the results as a chart."""

from components.course_ui import feedback_page

feedback_page()
