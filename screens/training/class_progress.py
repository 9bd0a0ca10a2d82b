"""班级学习进度: per trainee the exercises finished and when, best quiz scores, the class's
common mistakes and the course's ratings (trainers)."""

from components.course_ui import progress_page

progress_page()
