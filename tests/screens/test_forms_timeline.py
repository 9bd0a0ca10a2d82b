"""The 时间线 shows an order's quantity and amount in their own columns (issue 14): a long
event text is cut by the table, and with it the figures a clerk looks for."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core import clock
from core.vocab import Role
from services.records.orders import add_order
from tests.support.app import logged_in
from tests.support.factories import actor_for, make_customer, make_user


def test_the_order_row_has_quantity_and_amount(db: Session) -> None:
    user = make_user(db, "clerk", Role.CLERK)
    customer = make_customer(db, name="时间线客户")
    add_order(db, actor_for(user), customer.id, {
        "order_date": clock.today(), "product": "企业版软件授权（三年期，含实施与培训服务）",
        "quantity": 3, "amount": "12345.5", "payment_method": "银行转账"})
    db.commit()
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/profile.py")
    at.query_params["id"] = str(customer.id)
    at.run()
    assert not at.exception, at.exception
    frames = [d.value for d in at.dataframe if "类别" in d.value.columns]
    assert frames, [list(d.value.columns) for d in at.dataframe]
    frame = frames[0]
    assert {"数量", "金额"} <= set(frame.columns), list(frame.columns)
    orders = frame[frame["事项"].str.startswith("订单")]
    assert len(orders) == 1, frame.to_dict("records")
    row = orders.iloc[0]
    assert str(row["数量"]) == "3"
    assert row["金额"] == "12,345.50"
    others = frame[~frame["事项"].str.startswith("订单")]
    assert (others["数量"] == "").all()  # the 回访 the order planned has no quantity
