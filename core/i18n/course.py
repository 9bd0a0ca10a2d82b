"""The course (培训模式, issue 17): chapters, their exercises and quizzes, the course's
satisfaction survey, and the trainer's view of a class. Teaching texts are written for this app
(its fields, rules and defaults of config.toml), so what a trainee reads is what they meet."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- navigation and page frame ------------------------------------------------------------
    "nav.course.overview": ("1 概述与分类", "1 Overview and types"),
    "nav.course.collect": ("2 信息采集", "2 Collecting"),
    "nav.course.profile": ("3 建立档案", "3 Building the profile"),
    "nav.course.query": ("4 客户查询", "4 Looking up"),
    "nav.course.analysis": ("5 客户分析", "5 Analysis"),
    "nav.course.service": ("6 回访、投诉与满意度", "6 Visits, complaints, satisfaction"),
    "nav.course.security": ("7 信息安全", "7 Security"),
    "nav.course.feedback": ("课程满意度评价", "Course satisfaction survey"),
    "nav.course.progress": ("班级学习进度", "Class progress"),
    "course.chapter_of": ("第 {n} 章 / 共 {total} 章", "Chapter {n} of {total}"),
    "course.goals": ("学习目标", "Learning goals"),
    "course.explain": ("讲解", "Explanation"),
    "course.exercises": ("练习（在本系统中实际操作）", "Exercises (done in this app)"),
    "course.exercises.help": (
        "完成操作后点击“检查”：系统根据你在数据库中实际做过的事情判断是否完成（只算你本人、"
        "本班开课以来或打开本页以来的操作）。",
        "Do the task, then press Check: the app looks at what you actually did in the database "
        "(only your own actions since your class began, or since you opened this page)."),
    "course.exercise.n": ("练习 {n}", "Exercise {n}"),
    "course.exercise.done": ("已完成（{when}）", "Done ({when})"),
    "course.exercise.open": ("未完成", "Not done yet"),
    "course.exercise.go": ("去完成", "Go there"),
    "course.exercise.answer": ("你的答案", "Your answer"),
    "course.exercise.pick": ("请选择", "Choose one"),
    "course.check": ("检查", "Check"),
    "course.check.passed": ("完成！已记录。", "Done! Recorded."),
    "course.check.failed": ("还没有完成：{reason}", "Not done yet: {reason}"),
    "course.check.login": ("请先登录。", "Please log in first."),
    "course.top_risk.title": ("流失预警名单前 {n} 位（按风险分、近12个月消费排序）",
                              "The top {n} of the churn warning list (by risk score, then "
                              "12-month spend)"),
    "course.top_risk.none": ("当前没有客户进入流失预警名单。",
                             "No customer is on the churn warning list now."),
    "course.top_risk.row": ("{customer_no} · {name} · {tier} · 风险分 {score}",
                            "{customer_no} · {name} · {tier} · risk score {score}"),
    "course.quiz": ("课程考核", "Quiz"),
    "course.quiz.help": ("每题选一个答案后提交；可以多次作答，取最好成绩。",
                         "Pick one answer per question and submit; you may try again, the "
                         "best score counts."),
    "course.quiz.submit": ("提交考核", "Submit the quiz"),
    "course.quiz.unanswered": ("还有 {n} 道题没有作答。", "{n} question(s) not answered."),
    "course.quiz.result": ("本次得分 {score} / {total}。", "This attempt: {score} / {total}."),
    "course.quiz.best": ("最好成绩：{score} / {total}（共作答 {attempts} 次）",
                         "Best score: {score} / {total} ({attempts} attempt(s))"),
    "course.quiz.none": ("尚未作答。", "Not taken yet."),
    "course.quiz.q": ("第 {n} 题", "Question {n}"),
    "course.class_view": ("本班本章完成情况", "This chapter in your classes"),
    "course.class_view.summary": ("{finished} / {trainees} 位学员已完成本章全部练习。",
                                  "{finished} of {trainees} trainees finished every exercise "
                                  "of this chapter."),
    "course.progress.summary": ("{trainees} 位学员，共完成 {done} 个练习。",
                                "{trainees} trainee(s), {done} exercise(s) finished in all."),
    "course.class_view.none": ("还没有学员。创建班级后，学员的完成情况会显示在这里。",
                               "No trainees yet. Once you create a class, its trainees' "
                               "progress shows here."),
    # ---- the class progress page (trainer) ----------------------------------------------------
    "course.progress.title": ("班级学习进度", "Class progress"),
    "course.progress.intro": (
        "每位学员完成了哪些练习、何时完成（按系统时区显示），各章考核的最好成绩，以及全班最常遇到"
        "的校验提示。",
        "Which exercises each trainee finished and when (in the app's time zone), their best "
        "quiz score per chapter, and the validation messages the class met most."),
    "course.progress.class": ("班级", "Class"),
    "course.progress.all_classes": ("全部学员", "All trainees"),
    "course.progress.no_class": ("还没有班级。", "No class yet."),
    "course.progress.trainee": ("学员", "Trainee"),
    "course.progress.done_count": ("已完成练习", "Exercises done"),
    "course.progress.exercises": ("练习完成情况", "Exercises"),
    "course.progress.quizzes": ("考核最好成绩", "Best quiz scores"),
    "course.progress.mistakes": ("常见错误（学员遇到最多的校验提示）",
                                 "Common mistakes (validation messages met most)"),
    "course.progress.mistakes.none": ("本班学员还没有遇到校验提示。",
                                      "The class has met no validation message yet."),
    "course.progress.mistake": ("提示", "Message"),
    "course.progress.field": ("字段", "Field"),
    "course.progress.times": ("次数", "Times"),
    "course.progress.trainees": ("人数", "Trainees"),
    "course.progress.exercise": ("练习", "Exercise"),
    "course.progress.chapter": ("章节", "Chapter"),
    "course.progress.when": ("完成时间", "Done at"),
    "course.progress.feedback": ("课程满意度", "Course satisfaction"),
    # ---- the course satisfaction survey -------------------------------------------------------
    "course.feedback.title": ("课程满意度评价", "Course satisfaction survey"),
    "course.feedback.intro": ("请评价本课程（5 级：非常满意 … 非常不满意）。每位学员一份，"
                              "可以随时修改。",
                              "Rate this course (5 levels: very satisfied … very "
                              "dissatisfied). One per trainee; you may change it any time."),
    "course.feedback.rating": ("总体评价", "Overall"),
    "course.feedback.comment": ("意见和建议（可选）", "Comments (optional)"),
    "course.feedback.save": ("提交评价", "Submit"),
    "course.feedback.saved": ("评价已保存，谢谢！", "Saved, thank you!"),
    "course.feedback.yours": ("你的评价：{rating}（{when}）", "Your rating: {rating} ({when})"),
    "course.feedback.results": ("评价结果", "Results"),
    "course.feedback.count": ("共 {n} 份评价，平均 {avg} 分（5 分为非常满意）。",
                              "{n} rating(s), average {avg} (5 = very satisfied)."),
    "course.feedback.none": ("还没有评价。", "No rating yet."),
    "course.feedback.comments": ("学员意见", "Comments"),
    "course.feedback.error.rating": ("请选择一个评价等级。", "Choose a rating."),
    "course.feedback.error.comment": ("意见最多 1000 个字符。",
                                      "Comments take at most 1,000 characters."),
    # ---- audit labels -------------------------------------------------------------------------
    "auditlog.action.course.exercise_done": ("完成课程练习", "Course exercise done"),
    "auditlog.action.course.quiz": ("课程考核", "Course quiz taken"),
    "auditlog.action.course.feedback": ("课程满意度评价", "Course rated"),
    "auditlog.field.chapter": ("章节", "Chapter"),
    "auditlog.field.exercise": ("练习", "Exercise"),
    "auditlog.field.score": ("得分", "Score"),
    "auditlog.field.total": ("满分", "Out of"),
    "auditlog.field.rating": ("评价", "Rating"),
    # ---- why a check did not pass (never naming data the role may not see) ---------------------
    "course.missing.choice": ("请先选择一个答案。", "Choose an answer first."),
    "course.missing.wrong": ("答案不正确，请再读一遍讲解后重试。",
                             "That is not right; read the explanation again and retry."),
    "course.missing.answer_empty": ("请先填写答案。", "Write your answer first."),
    "course.missing.number": ("请填写一个整数。", "Write a whole number."),
    "course.missing.count": ("数量不对，请检查筛选条件（客户类型、行业、生命周期等）。",
                             "Wrong count; check the filters (type, industry, lifecycle …)."),
    "course.missing.customer_nos": (
        "你填写了 {given} 个客户编号，其中 {right} 个正确；符合条件的共有 {expected} 个。",
        "You gave {given} customer number(s), {right} of them right; {expected} meet the "
        "conditions."),
    "course.missing.customer_nos.none": ("没有找到客户编号（形如 C2026000123）。",
                                         "No customer number found (like C2026000123)."),
    "course.missing.not_yet": ("还没有找到你做过的这项操作。", "No such action of yours yet."),
    "course.missing.industry": ("还没有找到你修改客户“行业”的记录。",
                                "You have not changed a customer's industry yet."),
    "course.missing.org_none": ("还没有找到你录入的机构客户。",
                                "No 机构 (institution) customer entered by you yet."),
    "course.missing.org_code": (
        "你录入了机构客户，但没有填写统一社会信用代码（证件号码一栏）。",
        "You entered an institution but without its unified social credit code (the 证件号码 "
        "field)."),
    "course.missing.person_none": ("还没有找到你录入的个人客户。",
                                   "No 个人 (person) customer entered by you yet."),
    "course.missing.person_fields": ("你录入的个人客户还缺少：{fields}。",
                                     "Your person customer still lacks: {fields}."),
    "course.missing.consent": ("还没有找到你记录的“服务”授权。",
                               "No 服务 (service) consent recorded by you yet."),
    "course.missing.order": ("还没有找到你补录的交易记录。", "No order added by you yet."),
    "course.missing.contact": ("还没有找到你记录的沟通记录。",
                               "No contact recorded by you yet."),
    "course.missing.address": ("还没有找到你修改客户地址或城市的记录。",
                               "You have not corrected a customer's address or city yet."),
    "course.missing.review": ("还没有找到你“标记已核对”的客户。",
                              "You have not marked a customer as reviewed yet."),
    "course.missing.visit_top": (
        "还没有找到你为名单前 {n} 位客户之一安排的回访。",
        "No visit planned by you for one of the top {n} customers of the list yet."),
    "course.missing.visit_other": (
        "你安排了回访，但对象不在流失预警名单前 {n} 位。",
        "You planned a visit, but not for one of the top {n} of the churn warning list."),
    "course.missing.renewal": ("还没有找到你记录的续约结果。",
                               "No renewal outcome recorded by you yet."),
    "course.missing.visit_done": ("还没有找到你记录完成的回访。",
                                  "No visit recorded as done by you yet."),
    "course.missing.complaint_none": ("还没有找到你登记的投诉。",
                                      "No complaint registered by you yet."),
    "course.missing.complaint_open": (
        "你登记了投诉，但还没有把它处理到“已解决”（先“开始处理”，再填写解决方案）。",
        "You registered a complaint but have not brought it to 已解决 (start handling it, "
        "then give the solution)."),
    "course.missing.survey": ("还没有找到你录入的满意度调查。",
                              "No satisfaction survey entered by you yet."),
    "course.missing.export": ("还没有找到你做过的导出。", "No export made by you yet."),
    # ---- chapter 1: overview ------------------------------------------------------------------
    "course.overview.title": ("第 1 章 客户信息管理概述与分类", "Chapter 1 Overview and types"),
    "course.overview.goals": (
        "- 说出客户信息管理的目的：了解客户、服务客户、留住客户\n"
        "- 区分三种客户类型：个人、企业、机构\n"
        "- 按行业、地区（省份、城市）和价值（等级、价值分层、生命周期）给客户分类\n"
        "- 读懂本系统的等级规则",
        "- Say what customer information management is for: knowing, serving and keeping "
        "customers\n"
        "- Tell the three customer types apart: 个人 (person), 企业 (enterprise), 机构 "
        "(institution)\n"
        "- Classify customers by industry, region (province, city) and value (tier, value "
        "segment, lifecycle)\n"
        "- Read this app's tier rules"),
    "course.overview.explain": (
        "客户信息管理就是把“谁是我们的客户、他们买了什么、我们为他们做了什么”记成一份可靠的档案，"
        "并在整个生命周期里维护它：采集、建档、查询、分析、服务，直到按规定保存和销毁。\n\n"
        "本系统把客户分为三种类型：**个人**（自然人，证件号码是 18 位居民身份证号）、**企业**和"
        "**机构**（学校、医院、政府部门等；这两类的证件号码是 18 位统一社会信用代码）。行业只能从"
        "配置的列表中选（默认 金融、科技、教育、医疗、制造、零售、政府、其他），省份必须是 34 个"
        "省级行政区的全称（“广东”会规范为“广东省”）或“国外”，所以按行业和地区的统计是可靠的。\n\n"
        "按价值分类有三个维度。**等级**（白银、黄金、铂金、钻石）由规则按近 12 个月消费额、近 12 "
        "个月订单数和成为客户的年限计算，三项门槛都达到才升到该等级（默认 钻石 20 万元/12 笔/"
        "2 年，铂金 5 万元/6 笔/1 年，黄金 1 万元/3 笔）；也可以手工指定，并记录是谁、为什么。"
        "**生命周期**是 潜在 → 新客户 → 稳定 → 老客户，长期（默认 365 天）既无订单也无沟通即为 "
        "流失。**价值分层**中“高价值”是未流失的铂金和钻石客户。",
        "Customer information management keeps a reliable record of who our customers are, "
        "what they bought and what we did for them, and maintains it over its whole life: "
        "collecting, building the profile, looking up, analysing, serving, and finally keeping "
        "and destroying it as the rules say.\n\n"
        "This app has three customer types: **个人** (a person; the ID number is the 18-character "
        "resident ID), **企业** (enterprise) and **机构** (institution: schools, hospitals, "
        "government offices; for these two the ID number is the 18-character unified social "
        "credit code). The industry comes from the configured list (by default 金融, 科技, 教育, "
        "医疗, 制造, 零售, 政府, 其他) and the province must be one of the 34 provincial divisions "
        "in full (广东 becomes 广东省) or 国外, so counts by industry and region can be "
        "trusted.\n\n"
        "Value has three sides. The **tier** (白银, 黄金, 铂金, 钻石) is computed from the spend "
        "and the number of orders over the last 12 months and the years as a customer; all "
        "three thresholds must be met (defaults: 钻石 ¥200,000 / 12 orders / 2 years, 铂金 "
        "¥50,000 / 6 / 1 year, 黄金 ¥10,000 / 3). It may also be set by hand, recording who and "
        "why. The **lifecycle** runs 潜在 → 新客户 → 稳定 → 老客户, and a customer with neither an "
        "order nor a contact for long (365 days by default) is 流失 (churned). In the **value "
        "segment**, 高价值 means 铂金 and 钻石 customers who have not churned."),
    "course.ex.overview.org_type.task": (
        "一家公立医院来办业务，应录为哪种客户类型？证件号码一栏填什么？",
        "A public hospital becomes a customer. Which customer type is it, and what goes into "
        "the ID number field?"),
    "course.ex.overview.org_type.opt.a": ("个人，填院长的居民身份证号",
                                          "个人, the director's resident ID"),
    "course.ex.overview.org_type.opt.b": ("企业，填营业执照上的注册号",
                                          "企业, the old business licence number"),
    "course.ex.overview.org_type.opt.c": ("机构，填 18 位统一社会信用代码",
                                          "机构, its 18-character unified social credit code"),
    "course.ex.overview.tier_rule.task": (
        "按本系统当前的等级规则，一位客户近 12 个月消费 6 万元、下单 8 笔、成为客户 1 年半，"
        "规则算出的等级是？",
        "Under this app's current tier rules, what tier do the rules give a customer with "
        "¥60,000 spent and 8 orders over the last 12 months, a customer for 1.5 years?"),
    "course.ex.overview.finance_firms.task": (
        "在“客户查询”中筛选 客户类型=企业、行业=金融，一共有多少位客户？填写数字。",
        "In 客户查询 (customer list) filter type = 企业 and industry = 金融. How many customers "
        "are there? Write the number."),
    "course.ex.overview.set_industry.task": (
        "打开一位客户的档案，在“编辑”中修改其“行业”并保存。",
        "Open a customer's profile and change its industry under Edit, then save."),
    # ---- chapter 2: collecting ----------------------------------------------------------------
    "course.collect.title": ("第 2 章 客户信息采集", "Chapter 2 Collecting customer information"),
    "course.collect.goals": (
        "- 知道客户信息从哪里来：表单、电话、在线、拜访、转介绍\n"
        "- 合法采集：告知用途、取得授权（服务、营销分开），只采集必要的信息\n"
        "- 保证完整和准确：必填项、格式校验、校验位\n"
        "- 在本系统中录入个人和机构客户",
        "- Know where customer information comes from: forms, phone, online, visits, "
        "referrals\n"
        "- Collect lawfully: say what for, get consent (service and marketing apart), collect "
        "only what is needed\n"
        "- Keep it complete and accurate: required fields, formats, check characters\n"
        "- Enter persons and institutions in this app"),
    "course.collect.explain": (
        "信息的来源记在“来源渠道”：表单、电话、在线、拜访、转介绍、其他。《个人信息保护法》要求"
        "告知用途并取得同意，本系统按用途分别记录授权：“服务”（就订单、投诉、续约联系客户）和"
        "“营销”。每次授予或撤回都是一条记录：用途、渠道、何时、谁记录、依据说明；当前状态取"
        "最新一条。新建客户时表单会询问授权。\n\n"
        "只采集必要的信息：一条记录只要求**客户名称**和至少一种联系方式（手机号、固定电话或邮箱）。"
        "客户不愿提供证件号码时可以留空，不能编造。\n\n"
        "准确性由同一个校验模块把关，表单和 Excel 导入给出相同的提示：手机号必须是有效的**手机**"
        "号码（固定电话请填到“固定电话”），可以带空格、横线或 +86；邮箱检查格式；个人的证件号码"
        "要求 18 位、校验位正确、出生日期真实、省份代码存在；企业和机构的统一社会信用代码按 "
        "GB 32100 验证第 18 位校验位；行业和省份只能取规定的值。校验失败时，提示就显示在出错的"
        "字段下方，已填写的内容不会丢失。",
        "Where information came from is kept as 来源渠道 (source): form, phone, online, visit, "
        "referral, other. The Personal Information Protection Law asks to say what data is for "
        "and to get consent; this app records consent per purpose: 服务 (contacting the "
        "customer about orders, complaints, renewals) and 营销 (marketing). Each grant or "
        "withdrawal is an entry: purpose, channel, when, who recorded it, the evidence; the "
        "latest entry is the state. The new-customer form asks for it.\n\n"
        "Collect only what is needed: a record needs a **name** and at least one way to reach "
        "the customer (mobile, landline or email). A customer who will not give an ID number "
        "leaves it blank; never make one up.\n\n"
        "Accuracy is guarded by one validation module, so the form and the Excel import give "
        "the same messages: the mobile must be a valid **mobile** number (a landline goes into "
        "固定电话), spaces, dashes and +86 are fine; emails are checked for their shape; a "
        "person's ID needs 18 characters, a right check character, a real birth date and an "
        "existing province code; the unified social credit code of an enterprise or "
        "institution is checked by its 18th character (GB 32100); industry and province take "
        "only the allowed values. A message shows right under the field at fault, and what was "
        "typed is kept."),
    "course.ex.collect.org_customer.task": (
        "录入一位机构客户，统一社会信用代码须通过校验。",
        "Enter an institution (机构) customer whose unified social credit code passes the "
        "check."),
    "course.ex.collect.org_customer.hint": (
        "例如 12440400454284108K 是一个校验位正确的机构代码；也可以故意输错一位，看看提示。",
        "12440400454284108K is an institution code with a right check character, for "
        "example; try one wrong character first and read the message."),
    "course.ex.collect.person_complete.task": (
        "录入一位个人客户，手机号、省份、城市和证件号码（居民身份证号）都填写完整且通过校验。",
        "Enter a person whose mobile, province, city and resident ID are all filled in and "
        "pass the checks."),
    "course.ex.collect.consent_service.task": (
        "录入客户时（或在档案的“授权”页）为客户记录“服务”授权。",
        "When entering a customer (or on a profile's consent tab) record the 服务 (service) "
        "consent."),
    "course.ex.collect.minimal.task": (
        "电话采集时，客户不愿提供证件号码。应该怎么做？",
        "On the phone the customer will not give an ID number. What do you do?"),
    "course.ex.collect.minimal.opt.a": ("不能保存，请客户必须提供",
                                        "Do not save; the customer must give it"),
    "course.ex.collect.minimal.opt.b": ("证件号码留空，保存名称和至少一种联系方式",
                                        "Leave it blank; save the name and at least one way "
                                        "to reach them"),
    "course.ex.collect.minimal.opt.c": ("先编一个能通过校验的号码，以后再改",
                                        "Make up one that passes the check and fix it later"),
    # ---- chapter 3: the profile ---------------------------------------------------------------
    "course.profile.title": ("第 3 章 建立客户档案", "Chapter 3 Building the customer profile"),
    "course.profile.goals": (
        "- 坚持“一客一档”：每位客户只有一份档案\n"
        "- 了解档案的层次：基本信息、联系方式、交易记录、服务记录\n"
        "- 在档案中补录交易和沟通，修正错误信息\n"
        "- 知道多人同时编辑时系统如何处理",
        "- Keep one profile per customer\n"
        "- Know the profile's layers: basic data, contact data, transactions, service records\n"
        "- Add orders and contacts on a profile, correct wrong data\n"
        "- Know what happens when two people edit at once"),
    "course.profile.explain": (
        "客户档案按层次组织：**基本信息**（名称、类型、行业、地区、等级、客户经理、标签）、"
        "**联系方式**（手机号、固定电话、邮箱、地址）、**交易记录**（订单）和**服务记录**（沟通、"
        "回访、投诉、满意度调查、合同与续约）。档案页把这些记录按时间排成一条时间线，"
        "“变更记录”列出每次修改：谁、何时、从什么改成什么。\n\n"
        "“一客一档”靠查重保证：客户编号、手机号、邮箱或证件号码相同（规范化之后）即视为同一客户。"
        "保存前表单会提醒并链接到已有档案，完全相同的号码不能保存为第二位客户；名称相近的客户会"
        "提示“可能重复”，确认后才能保存。\n\n"
        "修正信息时只保存你改动的字段。如果别人同时修改了同一字段，系统会列出冲突，由你决定是否"
        "覆盖；改的是不同字段则都会保留。每次修改都写入审计日志。",
        "A customer profile has layers: **basic data** (name, type, industry, region, tier, "
        "account manager, tags), **contact data** (mobile, landline, email, address), "
        "**transactions** (orders) and **service records** (contacts, visits, complaints, "
        "surveys, contracts and renewals). The profile shows the records on one timeline, and "
        "变更记录 (change history) lists every change: who, when, from what to what.\n\n"
        "One profile per customer is kept by the duplicate check: the same customer number, "
        "mobile, email or ID number (after normalisation) means the same customer. The form "
        "warns before saving and links to the existing profile, and an exact collision cannot "
        "be saved as a second customer; a similar name asks for a confirmation.\n\n"
        "A correction saves only the fields you changed. If someone else changed the same field "
        "meanwhile, the conflict is listed and you decide whether to overwrite; changes to "
        "different fields are both kept. Every change is in the audit log."),
    "course.ex.profile.add_order.task": (
        "打开一位客户的档案，补录一笔交易记录（订单）。",
        "Open a customer's profile and add an order."),
    "course.ex.profile.add_contact.task": (
        "在一位客户的档案中记录一次沟通（电话、邮件、短信、拜访或在线）。",
        "Record a contact (phone, email, SMS, visit or online) on a customer's profile."),
    "course.ex.profile.fix_address.task": (
        "修正一位客户的详细地址或城市并保存。",
        "Correct a customer's address or city and save."),
    "course.ex.profile.duplicate.task": (
        "以下哪种情况，系统会认为两条记录是同一位客户？",
        "In which case does the app take two records for the same customer?"),
    "course.ex.profile.duplicate.opt.a": ("客户名称相同", "The same name"),
    "course.ex.profile.duplicate.opt.b": ("手机号相同（138 1234 5678 与 +86 13812345678 也算相同）",
                                          "The same mobile (138 1234 5678 and +86 13812345678 "
                                          "count as the same)"),
    "course.ex.profile.duplicate.opt.c": ("城市和公司名称都相同",
                                          "The same city and company"),
    # ---- chapter 4: looking up ----------------------------------------------------------------
    "course.query.title": ("第 4 章 客户信息查询", "Chapter 4 Looking customers up"),
    "course.query.goals": (
        "- 用各种键查找客户：客户编号、名称片段、手机号或尾号、邮箱\n"
        "- 组合筛选：类型、行业、省份城市、等级、生命周期、客户经理、标签、授权、创建日期\n"
        "- 从查询结果中得出业务答案\n"
        "- 理解脱敏和查询审计",
        "- Find customers by every key: customer number, part of a name, mobile or its last "
        "four digits, email\n"
        "- Combine filters: type, industry, province and city, tier, lifecycle, account "
        "manager, tags, consent, creation date\n"
        "- Answer business questions from the results\n"
        "- Understand masking and the auditing of searches"),
    "course.query.explain": (
        "“客户查询”的搜索框接受多种键：完整的客户编号（C2026000123）、名称或公司名的一部分、"
        "完整手机号、4 位手机尾号、邮箱。筛选条件可以任意组合，结果可按创建时间、名称等排序；"
        "点击一行打开档案。\n\n"
        "列表中的手机号和邮箱总是脱敏显示（`138****5678`）。能否在档案中“显示”完整号码取决于角色："
        "录入员可以点击显示，每次都记入审计日志；讲师和学员永远看不到完整号码。按完整手机号、邮箱"
        "或证件号码搜索本身也可能泄露号码，所以这类搜索会被记入审计，看不到完整号码的角色每小时"
        "的次数有上限。\n\n"
        "业务问题常常要把查询和记录结合起来，例如“某省某等级的客户中谁有未结投诉”：先按省份和等级"
        "筛选，再到“投诉处理”中看状态为 待处理 或 处理中 的投诉。",
        "The search box of 客户查询 takes many keys: a whole customer number (C2026000123), part "
        "of a name or company, a whole mobile, the last four digits of a mobile, an email. "
        "Filters combine freely and results sort by creation time, name and more; a click on a "
        "row opens the profile.\n\n"
        "Lists always show mobiles and emails masked (`138****5678`). Whether a profile may "
        "reveal the full number depends on the role: a clerk may, and each reveal is in the "
        "audit log; trainers and trainees never see full numbers. A search by a whole mobile, "
        "email or ID number could itself give a number away, so such searches are audited, and "
        "a role that may not see full numbers has an hourly limit on them.\n\n"
        "Business questions often join a search with records, such as \"which customers of a "
        "province and tier have an open complaint\": filter by province and tier, then look at "
        "their complaints with status 待处理 (pending) or 处理中 (in progress) under 投诉处理."),
    "course.ex.query.gd_platinum_open.task": (
        "找出广东省所有铂金客户中有未结投诉（待处理或处理中）的，填写他们的客户编号（每行一个或用"
        "逗号分隔）。",
        "Find every 铂金 customer in 广东省 with an open complaint (待处理 or 处理中); write their "
        "customer numbers (one per line or separated by commas)."),
    "course.ex.query.churned_people.task": (
        "筛选 生命周期=流失、客户类型=个人，一共有多少位客户？填写数字。",
        "Filter lifecycle = 流失 and type = 个人. How many customers are there? Write the "
        "number."),
    "course.ex.query.review.task": (
        "按客户编号找到一位客户，核对其信息后在档案中点击“标记已核对”。",
        "Find a customer by number, check the data and press 标记已核对 (mark reviewed) on "
        "the profile."),
    # ---- chapter 5: analysis ------------------------------------------------------------------
    "course.analysis.title": ("第 5 章 客户分析", "Chapter 5 Analysing customers"),
    "course.analysis.goals": (
        "- 从行为（订单、沟通）和价值（等级、消费）看客户\n"
        "- 读懂流失预警的规则和风险分，并据此安排行动\n"
        "- 看懂满意度、续约和客户经理业绩指标\n"
        "- 记录续约结果",
        "- Read customers by behaviour (orders, contacts) and value (tier, spend)\n"
        "- Understand the churn warning's rules and risk score, and act on them\n"
        "- Read the satisfaction, renewal and account-manager indicators\n"
        "- Record renewal outcomes"),
    "course.analysis.explain": (
        "**流失预警**为每位客户计算风险分（0–100）：每条触发的规则加上它的权重。默认规则有："
        "180 天无订单（30 分）、最近 90 天沟通次数低于以往平均的一半（20 分）、有未结投诉或 180 "
        "天内多次投诉（25 分）、最近一次满意度 ≤2 分或比上次低 2 分以上（25 分）、合同 60 天内到期"
        "且没有续约记录（30 分）。风险分达到阈值（默认 50）即进入名单，名单按风险分、再按近 12 "
        "个月消费排序，排在前面的最值得马上回访。\n\n"
        "**满意度**看 5 级评分的分布、平均分和满意率；**续约**看到期合同中已续约、未续约和跟进中的"
        "数量与金额，以及与续约目标的差距；**客户经理业绩**按客户经理比较其客户的订单、回访、投诉"
        "和续约。这些看板供经理和讲师使用；录入员和学员在本章中通过练习使用同样的规则。\n\n"
        "生命周期由规则自动计算：无订单为 潜在；既无订单也无沟通超过 365 天为 流失；首单 90 天内"
        "为 新客户；成为客户超过 2 年为 老客户；其余为 稳定。",
        "The **churn warning** gives each customer a risk score (0–100): the sum of the weights "
        "of the rules that fire. The default rules: no order for 180 days (30), contacts in the "
        "last 90 days below half the customer's own average (20), an open complaint or repeated "
        "complaints within 180 days (25), a latest survey score of 2 or less or 2 below the one "
        "before (25), a contract ending within 60 days with no renewal recorded (30). A score "
        "at or above the threshold (50 by default) puts the customer on the list, ordered by "
        "score and then 12-month spend: the top ones are worth a visit first.\n\n"
        "**Satisfaction** reads the spread of the 5-level scores, the average and the share "
        "satisfied; **renewals** the contracts due that were renewed, not renewed or are being "
        "followed up, their amounts and the gap to the target; **account managers** compare "
        "their customers' orders, visits, complaints and renewals. Managers and trainers use "
        "these dashboards; clerks and trainees use the same rules through this chapter.\n\n"
        "The lifecycle is computed: no order yet is 潜在; neither an order nor a contact for "
        "365 days is 流失; a first order within 90 days is 新客户; a customer for more than 2 "
        "years is 老客户; the rest are 稳定."),
    "course.ex.analysis.visit_top_risk.task": (
        "为流失预警名单上风险最高的客户安排回访（名单前 {n} 位之一，见下方）。",
        "Plan a visit for one of the customers most at risk on the churn warning list (one of "
        "the top {n}, below)."),
    "course.ex.analysis.visit_top_risk.hint": (
        "在“客户查询”中按客户编号打开该客户，在档案中选择“安排回访”。",
        "Open the customer by number from 客户查询 and choose to plan a visit on the profile."),
    "course.ex.analysis.risk_score.task": (
        "一位客户 {days} 天以上没有下单，并有一条未结投诉，其他规则都没有触发。按当前规则，他的"
        "风险分是多少，会进入流失预警名单吗？",
        "A customer has placed no order for over {days} days and has one open complaint; no "
        "other rule fires. Under the current rules, what is the risk score, and is the "
        "customer on the churn warning list?"),
    "course.ex.analysis.risk_score.opt.a": ("{total} 分，进入名单", "{total}, on the list"),
    "course.ex.analysis.risk_score.opt.b": ("{total} 分，不进入名单", "{total}, not on the list"),
    "course.ex.analysis.risk_score.opt.c": ("{top} 分，只取最高的一条规则",
                                            "{top}, only the heaviest rule counts"),
    "course.ex.analysis.risk_score.opt.d": ("100 分，任何投诉都直接进入名单",
                                            "100, any complaint puts a customer on the list"),
    "course.ex.analysis.lifecycle.task": (
        "一位客户两年前首次下单，最近一次订单和最近一次沟通都在 {days} 天前。他的生命周期阶段是？",
        "A customer first ordered two years ago; the latest order and the latest contact were "
        "both {days} days ago. What is the lifecycle stage?"),
    "course.ex.analysis.renewal.task": (
        "在“续约管理”中为一份即将到期的合同记录续约结果（已续约、未续约或跟进中）。",
        "Under 续约管理 (renewals) record the outcome of a contract that is due (renewed, not "
        "renewed, or following up)."),
    # ---- chapter 6: visits, complaints, satisfaction ------------------------------------------
    "course.service.title": ("第 6 章 回访、投诉与满意度",
                             "Chapter 6 Visits, complaints, satisfaction"),
    "course.service.goals": (
        "- 按计划回访客户并记录结果和下次回访日期\n"
        "- 按流程处理投诉：登记、处理、解决、关闭\n"
        "- 记录满意度调查并理解 5 级评分\n"
        "- 知道哪些回访由规则自动安排",
        "- Visit customers as planned and record the outcome and the next date\n"
        "- Handle complaints by the workflow: register, handle, resolve, close\n"
        "- Record satisfaction surveys on the 5-level scale\n"
        "- Know which visits the rules plan by themselves"),
    "course.service.explain": (
        "**回访**先计划（日期、方式、目的、负责人），完成后记录内容、客户反馈、结果和下次回访日期；"
        "填了下次日期，系统就自动安排下一次回访。规则也会自动安排回访：首单后 7 天、投诉解决后 3 "
        "天，以及按等级定期（钻石 30 天、铂金 90 天、黄金 180 天、白银 365 天）。“回访工作台”列出"
        "到期和逾期的回访。\n\n"
        "**投诉**的状态依次是 待处理 → 处理中 → 已解决 → 已关闭，已解决或已关闭的可以重新打开。"
        "每一步（指派、开始处理、处理记录、解决、关闭）都记下是谁、何时，解决时必须填写解决方案，处理时长"
        "自动计算。超过 48 小时（默认）未解决的投诉算超时。\n\n"
        "**满意度调查**用 5 级评分：5 非常满意、4 满意、3 一般、2 不满意、1 非常不满意，可附意见。"
        "解决投诉时可以同时记录客户对处理的满意度。低分会触发流失预警的满意度规则。",
        "A **visit** (回访) is planned first (date, method, purpose, assignee); once done, its "
        "content, the customer's feedback, the result and the next date are recorded, and a "
        "next date plans the next visit. The rules plan visits too: 7 days after a first "
        "order, 3 days after a complaint is resolved, and periodically by tier (钻石 30 days, "
        "铂金 90, 黄金 180, 白银 365). 回访工作台 lists visits due and overdue.\n\n"
        "A **complaint** goes 待处理 → 处理中 → 已解决 → 已关闭 (pending, in progress, resolved, "
        "closed); a resolved or closed one can be reopened. Each step (assign, start, note, "
        "resolve, close) records who and when; resolving needs the solution, and the time to "
        "resolve is computed. A complaint unresolved after 48 hours (by default) is overdue.\n\n"
        "A **satisfaction survey** uses 5 levels: 5 非常满意 (very satisfied), 4 满意, 3 一般, "
        "2 不满意, 1 非常不满意 (very dissatisfied), with an optional comment. Resolving a "
        "complaint can record the customer's satisfaction with the handling. Low scores fire "
        "the churn warning's satisfaction rule."),
    "course.ex.service.record_visit.task": (
        "在“回访工作台”（或客户档案）中记录一次已完成的回访，填写结果。",
        "Record a visit as done under 回访工作台 (or on a profile), with its result."),
    "course.ex.service.complaint_resolve.task": (
        "为一位客户登记一条投诉，并把它处理到“已解决”。",
        "Register a complaint for a customer and bring it to 已解决 (resolved)."),
    "course.ex.service.survey.task": (
        "在一位客户的档案中录入一份满意度调查。",
        "Enter a satisfaction survey on a customer's profile."),
    "course.ex.service.auto_visits.task": (
        "哪些回访会由系统按规则自动安排？",
        "Which visits does the app plan by itself?"),
    "course.ex.service.auto_visits.opt.a": ("没有，回访都要手工安排",
                                            "None; every visit is planned by hand"),
    "course.ex.service.auto_visits.opt.b": (
        "首单后、投诉解决后、按等级定期，以及记录回访时填写的下次日期",
        "After a first order, after a complaint is resolved, periodically by tier, and the "
        "next date given when a visit is recorded"),
    "course.ex.service.auto_visits.opt.c": ("每天为每位客户安排一次",
                                            "One a day for every customer"),
    # ---- chapter 7: security ------------------------------------------------------------------
    "course.security.title": ("第 7 章 客户信息安全",
                              "Chapter 7 Keeping customer information safe"),
    "course.security.goals": (
        "- 理解脱敏和按角色授权：谁能看到什么\n"
        "- 知道证件号码如何加密、审计日志如何防篡改\n"
        "- 知道备份和密钥应如何保存\n"
        "- 落实个人的权利：授权与撤回、获取副本、删除个人信息、保存期限",
        "- Understand masking and role rights: who sees what\n"
        "- Know how ID numbers are encrypted and how the audit log resists tampering\n"
        "- Know how backups and keys are kept\n"
        "- Honour the person's rights: consent and withdrawal, a copy, erasure, retention"),
    "course.security.explain": (
        "**脱敏**在服务器端完成：手机号显示为 `138****5678`，邮箱 `z***@example.cn`，"
        "证件号码只显示前 4 位和后 4 位；页面、发送到浏览器的数据、下载的文件都一样。"
        "**权限按角色**：管理员和经理可以“显示”完整号码（每次记审计）；录入员可以显示手机号和邮箱，但看不到证件号码；讲师和"
        "学员永远看不到完整号码，导出也只有脱敏版。每个页面和操作都在服务器端检查角色。\n\n"
        "证件号码用密钥**加密**存储，查重用带密钥的哈希；密钥保存在配置之外。**审计日志**只能追加，"
        "每条记录串成哈希链，`manage.py verify-audit` 能发现被改动或删除的条目；修改、显示、导出、"
        "导入、登录都会留下记录。**备份**（`manage.py backup`）把数据和密钥文件分开写出，两者要"
        "分开保存：拿到备份的人不应同时拿到密钥。\n\n"
        "**个人的权利**：授权可以随时撤回；客户可以要求获得其全部个人信息的副本（管理员导出，"
        "有审计）；可以要求删除个人信息（管理员操作，姓名、联系方式、证件号码、地址和记录中的"
        "文字被清除且不可恢复，金额、等级等非个人事实保留）；超过保存期限（默认 3 年无往来）的"
        "客户由管理员逐一审查后删除。",
        "**Masking** happens on the server: a mobile shows as `138****5678`, an email as "
        "`z***@example.cn`, an ID number only by its first and last 4 characters; on the page, "
        "in what the browser receives and in downloaded files alike. **Rights follow the "
        "role**: admins and managers may reveal a full number (each reveal audited); clerks may "
        "reveal mobiles and emails but never ID numbers; trainers and trainees never see full "
        "numbers and export only masked files. Every page and action checks the role on the "
        "server.\n\n"
        "ID numbers are **encrypted** with a key and found for the duplicate check through a "
        "keyed hash; the keys live outside the configuration. The **audit log** is "
        "append-only and its entries form a hash chain, so `manage.py verify-audit` finds an "
        "entry changed or removed; changes, reveals, exports, imports and logins all leave an "
        "entry. A **backup** (`manage.py backup`) writes the data and the keys file apart, and "
        "they are kept apart: whoever holds a backup should not also hold its keys.\n\n"
        "**The person's rights**: consent can be withdrawn any time; the customer may ask for a "
        "copy of everything held about them (exported by an admin, audited); they may ask for "
        "their personal information to be erased (by an admin: name, contacts, ID number, "
        "address and the text of their records are cleared for good, while amounts, tier and "
        "other non-personal facts stay); customers past retention (3 years without dealings "
        "by default) are reviewed one by one by an admin before erasure."),
    "course.ex.security.trainer_phone.task": (
        "说明为什么讲师看不到完整手机号。",
        "Say why a trainer cannot see a full mobile number."),
    "course.ex.security.trainer_phone.opt.a": (
        "讲师角色无权查看完整号码：服务器端脱敏后才发送，页面、导出文件里都只有 `138****5678`",
        "The trainer role has no right to full numbers: they are masked on the server before "
        "anything is sent, so pages and exports hold only `138****5678`"),
    "course.ex.security.trainer_phone.opt.b": (
        "手机号在数据库中加密存储，讲师没有密钥",
        "Mobiles are encrypted in the database and trainers lack the key"),
    "course.ex.security.trainer_phone.opt.c": (
        "浏览器把号码遮住了，复制出来就能看到完整号码",
        "The browser hides the digits; copying the text shows the full number"),
    "course.ex.security.masked_export.task": (
        "在“客户查询”中点击“导出 Excel”，生成一份客户清单（你的角色只能导出脱敏版），然后想一想"
        "审计日志记下了什么。",
        "In 客户查询 press 导出 Excel (export) and prepare a customer list (your role exports "
        "the masked version only), then think about what the audit log recorded."),
    "course.ex.security.audit_reader.task": (
        "谁可以查看审计日志？", "Who may read the audit log?"),
    "course.ex.security.audit_reader.opt.a": ("所有登录的用户", "Everyone logged in"),
    "course.ex.security.audit_reader.opt.b": ("管理员和经理（经理只读）",
                                              "Admins and managers (managers read only)"),
    "course.ex.security.audit_reader.opt.c": ("只有做出修改的录入员本人",
                                              "Only the clerk who made the change"),
    "course.ex.security.person_copy.task": (
        "客户依据《个人信息保护法》第 45 条，要求获得本公司保存的其全部个人信息的副本。"
        "正确做法是？",
        "A customer asks, under Art. 45 of the Personal Information Protection Law, for a copy "
        "of all personal information held about them. What is right?"),
    "course.ex.security.person_copy.opt.a": ("录入员把档案页截图发给客户",
                                             "A clerk sends screenshots of the profile"),
    "course.ex.security.person_copy.opt.b": (
        "由管理员在档案中导出个人信息副本（或 manage.py export-person），导出记入审计",
        "An admin exports the copy from the profile (or manage.py export-person); the export "
        "is audited"),
    "course.ex.security.person_copy.opt.c": ("拒绝：客户信息属于公司",
                                             "Refuse: the records belong to the company"),
    "course.ex.security.backup_keys.task": (
        "manage.py backup 写出的密钥文件应该如何保存？",
        "How should the keys file written by manage.py backup be kept?"),
    "course.ex.security.backup_keys.opt.a": ("和备份放在同一个目录，方便恢复",
                                             "In the backup's folder, for an easy restore"),
    "course.ex.security.backup_keys.opt.b": ("发给所有同事，以免丢失",
                                             "Sent to every colleague so it is not lost"),
    "course.ex.security.backup_keys.opt.c": ("与备份分开存放，只有负责恢复的人能取得",
                                             "Apart from the backup, reachable only by whoever "
                                             "restores"),
    # ---- quizzes ------------------------------------------------------------------------------
    "course.quiz.overview.types.text": ("本系统的客户类型有哪三种？",
                                        "What are this app's three customer types?"),
    "course.quiz.overview.types.opt.a": ("个人、家庭、企业", "Person, family, enterprise"),
    "course.quiz.overview.types.opt.b": ("个人、企业、机构", "Person, enterprise, institution"),
    "course.quiz.overview.types.opt.c": ("新客户、老客户、流失客户", "New, loyal, churned"),
    "course.quiz.overview.tiers.text": ("没有手工指定时，客户等级由什么决定？",
                                        "Without a manual tier, what decides a customer's tier?"),
    "course.quiz.overview.tiers.opt.a": ("录入员的判断", "The clerk's judgement"),
    "course.quiz.overview.tiers.opt.b": ("客户所在的省份", "The customer's province"),
    "course.quiz.overview.tiers.opt.c": ("近 12 个月消费额、订单数和客户年限，按配置的门槛计算",
                                         "Spend and orders over 12 months and years as a "
                                         "customer, against the configured thresholds"),
    "course.quiz.overview.value.text": ("价值分层中的“高价值”客户是？",
                                        "Who is 高价值 (high value) in the value segments?"),
    "course.quiz.overview.value.opt.a": ("等级为铂金或钻石、且没有流失的客户",
                                         "铂金 and 钻石 customers who have not churned"),
    "course.quiz.overview.value.opt.b": ("所有新客户", "Every new customer"),
    "course.quiz.overview.value.opt.c": ("所有企业客户", "Every enterprise"),
    "course.quiz.collect.required.text": ("一条客户记录至少需要什么？",
                                          "What does a customer record need at least?"),
    "course.quiz.collect.required.opt.a": ("名称和证件号码", "A name and an ID number"),
    "course.quiz.collect.required.opt.b": ("名称、手机号和邮箱", "A name, a mobile and an email"),
    "course.quiz.collect.required.opt.c": ("名称，以及手机号、固定电话、邮箱中的至少一种",
                                           "A name and at least one of mobile, landline, email"),
    "course.quiz.collect.mobile.text": ("在“手机号”一栏填入 010-12345678 会怎样？",
                                        "What happens to 010-12345678 in the mobile field?"),
    "course.quiz.collect.mobile.opt.a": ("被拒绝：这是固定电话，应填在“固定电话”一栏",
                                         "Refused: it is a landline, which goes into 固定电话"),
    "course.quiz.collect.mobile.opt.b": ("照常保存", "Saved as it is"),
    "course.quiz.collect.mobile.opt.c": ("自动改成一个手机号", "Turned into a mobile number"),
    "course.quiz.collect.consent.text": ("客户撤回“营销”授权后会怎样？",
                                         "What follows when a customer withdraws marketing "
                                         "consent?"),
    "course.quiz.collect.consent.opt.a": ("没有影响", "Nothing"),
    "course.quiz.collect.consent.opt.b": ("标明“用于营销”的导出不再包含该客户，并说明排除了多少位",
                                          "Exports marked for marketing leave the customer out "
                                          "and say how many were left out"),
    "course.quiz.collect.consent.opt.c": ("客户档案被删除", "The profile is deleted"),
    "course.quiz.collect.credit_code.text": ("统一社会信用代码的校验检查什么？",
                                             "What does the unified social credit code check "
                                             "look at?"),
    "course.quiz.collect.credit_code.opt.a": ("只检查长度", "Only its length"),
    "course.quiz.collect.credit_code.opt.b": ("是否以 91 开头", "Whether it starts with 91"),
    "course.quiz.collect.credit_code.opt.c": ("18 位，并按 GB 32100 验证最后一位校验位",
                                              "18 characters and the check character of GB "
                                              "32100"),
    "course.quiz.profile.layers.text": ("客户档案包括哪些层次？",
                                        "Which layers does a customer profile have?"),
    "course.quiz.profile.layers.opt.a": ("基本信息、联系方式、交易记录、服务记录",
                                         "Basic data, contact data, transactions, service "
                                         "records"),
    "course.quiz.profile.layers.opt.b": ("只有名称和电话", "Only a name and a phone"),
    "course.quiz.profile.layers.opt.c": ("只有订单", "Only orders"),
    "course.quiz.profile.one_profile.text": ("如何保证“一客一档”？",
                                             "How is one profile per customer kept?"),
    "course.quiz.profile.one_profile.opt.a": ("每月人工检查一次", "A manual check each month"),
    "course.quiz.profile.one_profile.opt.b": (
        "保存前按客户编号、手机号、邮箱、证件号码查重并提醒，相同号码不能存为第二位客户",
        "Before saving, duplicates by customer number, mobile, email and ID number are shown, "
        "and an exact collision cannot be saved"),
    "course.quiz.profile.one_profile.opt.c": ("名称相同就自动合并",
                                              "Same names merge by themselves"),
    "course.quiz.profile.concurrent.text": ("两个人同时修改同一位客户时会怎样？",
                                            "Two people edit one customer at once. What "
                                            "happens?"),
    "course.quiz.profile.concurrent.opt.a": ("后保存的人覆盖全部内容",
                                             "The later save overwrites all"),
    "course.quiz.profile.concurrent.opt.b": ("两人都保存失败", "Both saves fail"),
    "course.quiz.profile.concurrent.opt.c": ("只保存各自改动的字段；改了同一字段才提示冲突",
                                             "Each saves only the fields they changed; only the "
                                             "same field changed twice is a conflict"),
    "course.quiz.query.keys.text": ("客户查询的搜索框可以直接用哪些键查找？",
                                    "Which keys does the search box of 客户查询 take?"),
    "course.quiz.query.keys.opt.a": ("客户编号、名称片段、手机号或尾号、邮箱",
                                     "Customer number, part of a name, mobile or its last four "
                                     "digits, email"),
    "course.quiz.query.keys.opt.b": ("只能用客户编号", "The customer number only"),
    "course.quiz.query.keys.opt.c": ("只能用完整名称", "The whole name only"),
    "course.quiz.query.tail.text": ("在搜索框输入 4 位数字（如 5678）会查找什么？",
                                    "What do four digits (such as 5678) in the search box "
                                    "find?"),
    "course.quiz.query.tail.opt.a": ("客户编号的后 4 位", "The end of a customer number"),
    "course.quiz.query.tail.opt.b": ("手机尾号为这 4 位的客户", "Customers whose mobile ends so"),
    "course.quiz.query.tail.opt.c": ("什么都不查", "Nothing"),
    "course.quiz.query.hidden.text": ("讲师按完整手机号搜索会怎样？",
                                      "What happens when a trainer searches by a whole mobile?"),
    "course.quiz.query.hidden.opt.a": ("不允许搜索", "Such searches are not allowed"),
    "course.quiz.query.hidden.opt.b": ("结果显示完整号码", "The results show the full number"),
    "course.quiz.query.hidden.opt.c": ("可以搜索，结果仍然脱敏；这种搜索记入审计且每小时有次数上限",
                                       "Allowed, the results stay masked; such searches are "
                                       "audited and limited per hour"),
    "course.quiz.analysis.churn_list.text": ("客户何时进入流失预警名单？",
                                             "When is a customer on the churn warning list?"),
    "course.quiz.analysis.churn_list.opt.a": ("等级为白银时", "When their tier is 白银"),
    "course.quiz.analysis.churn_list.opt.b": ("触发规则的权重之和达到阈值（默认 50）时",
                                              "When the weights of the rules that fire add up "
                                              "to the threshold (50 by default)"),
    "course.quiz.analysis.churn_list.opt.c": ("一年没有登录时", "After a year without a login"),
    "course.quiz.analysis.renewal_rate.text": ("规则“合同将到期未续约”指什么（默认）？",
                                               "What is the rule \"contract ending, not "
                                               "renewed\" (by default)?"),
    "course.quiz.analysis.renewal_rate.opt.a": ("合同在 60 天内到期，且还没有续约记录",
                                                "A contract ends within 60 days with no renewal "
                                                "recorded"),
    "course.quiz.analysis.renewal_rate.opt.b": ("合同已经过期", "A contract has ended"),
    "course.quiz.analysis.renewal_rate.opt.c": ("客户有投诉", "The customer complained"),
    "course.quiz.analysis.kpi.text": ("“客户经理业绩”看板用来做什么？",
                                      "What is the account-manager dashboard for?"),
    "course.quiz.analysis.kpi.opt.a": ("修改客户经理", "Changing account managers"),
    "course.quiz.analysis.kpi.opt.b": ("删除客户", "Deleting customers"),
    "course.quiz.analysis.kpi.opt.c": ("按客户经理比较其客户的订单、回访、投诉、续约等指标",
                                       "Comparing the orders, visits, complaints and renewals "
                                       "of each manager's customers"),
    "course.quiz.service.complaint_flow.text": ("投诉处理的状态顺序是？",
                                                "In what order do a complaint's statuses go?"),
    "course.quiz.service.complaint_flow.opt.a": ("待处理 → 处理中 → 已解决 → 已关闭（可重新打开）",
                                                 "待处理 → 处理中 → 已解决 → 已关闭 (may be "
                                                 "reopened)"),
    "course.quiz.service.complaint_flow.opt.b": ("已关闭 → 待处理", "已关闭 → 待处理"),
    "course.quiz.service.complaint_flow.opt.c": ("只有“打开”和“关闭”", "Only open and closed"),
    "course.quiz.service.overdue.text": ("默认情况下，投诉多久未解决算超时？",
                                         "By default, when is an unresolved complaint overdue?"),
    "course.quiz.service.overdue.opt.a": ("24 小时", "After 24 hours"),
    "course.quiz.service.overdue.opt.b": ("48 小时", "After 48 hours"),
    "course.quiz.service.overdue.opt.c": ("7 天", "After 7 days"),
    "course.quiz.service.scale.text": ("满意度调查的评分是？", "What scale do surveys use?"),
    "course.quiz.service.scale.opt.a": ("1–10 分", "1 to 10"),
    "course.quiz.service.scale.opt.b": ("好 / 坏", "Good / bad"),
    "course.quiz.service.scale.opt.c": ("5 级：5 非常满意 … 1 非常不满意",
                                        "5 levels: 5 very satisfied … 1 very dissatisfied"),
    "course.quiz.security.encrypted.text": ("哪个字段在数据库中加密存储？",
                                            "Which field is stored encrypted?"),
    "course.quiz.security.encrypted.opt.a": ("手机号", "The mobile"),
    "course.quiz.security.encrypted.opt.b": ("证件号码", "The ID number"),
    "course.quiz.security.encrypted.opt.c": ("客户名称", "The name"),
    "course.quiz.security.reveal.text": ("录入员要查看一位客户的完整手机号时？",
                                         "A clerk needs a customer's full mobile. Then?"),
    "course.quiz.security.reveal.opt.a": ("在档案中点击“显示”，每次都记入审计日志",
                                          "Press reveal on the profile; each reveal is audited"),
    "course.quiz.security.reveal.opt.b": ("无法查看", "It cannot be seen"),
    "course.quiz.security.reveal.opt.c": ("列表中直接显示", "The list shows it"),
    "course.quiz.security.erasure.text": ("删除个人信息（擦除）之后？", "After an erasure?"),
    "course.quiz.security.erasure.opt.a": ("客户和全部记录都被删除", "The customer and all "
                                                                 "records are gone"),
    "course.quiz.security.erasure.opt.b": ("管理员可以随时恢复", "An admin can undo it"),
    "course.quiz.security.erasure.opt.c": (
        "姓名、联系方式、证件号码、地址等被清除且不可恢复；金额、等级等非个人事实保留",
        "Name, contacts, ID number, address and the like are cleared for good; amounts, tier "
        "and other non-personal facts stay"),
    "course.quiz.security.audit_chain.text": ("为什么审计日志可信？", "Why can the audit log be "
                                                                 "trusted?"),
    "course.quiz.security.audit_chain.opt.a": (
        "只能追加，条目串成哈希链，manage.py verify-audit 能发现改动",
        "It is append-only and chained by hashes; manage.py verify-audit finds changes"),
    "course.quiz.security.audit_chain.opt.b": ("管理员可以随时修改", "Admins may edit it"),
    "course.quiz.security.audit_chain.opt.c": ("每天自动清空", "It is emptied every day"),
}
