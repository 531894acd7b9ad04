"""The bilingual reply catalogue: every sentence the chatbot can say, in English and Persian.

The policy only chooses keys and parameters; wording lives here so translators and reviewers read
it in one place. Placeholders are ``str.format`` named fields. Persian uses ZWNJ where it belongs
(«می‌رسد», «سفارش‌تان»); numbers passed as ``int`` are written with Persian digits in Persian.
"""

from .normalize import persian_digits

EN = "en_US"
FA = "fa_IR"
LANGS = (EN, FA)
DEFAULT_LANG = FA

CATALOGUE = {
    # -- opening, menus, fallbacks --
    "greeting": {
        EN: "Hello! I can track your order or answer shipping questions. How can I help?",
        FA: "سلام! می‌توانم سفارش‌تان را پیگیری کنم یا به سؤال‌های ارسال پاسخ بدهم. "
        "چه کمکی از دستم برمی‌آید؟",
    },
    "menu": {
        EN: "How else can I help?",
        FA: "چه کمک دیگری از دستم برمی‌آید؟",
    },
    "menu_prompt": {
        EN: "Sorry, I didn't understand that. I can track an order by its number, your mobile "
        "number or a tracking code, answer shipping questions, or connect you with our team.",
        FA: "ببخشید، متوجه نشدم. می‌توانم سفارش را با شماره سفارش، شماره موبایل یا کد رهگیری "
        "پیگیری کنم، به سؤال‌های ارسال پاسخ بدهم یا شما را به همکارانم وصل کنم.",
    },
    "lang_switched": {
        EN: "Okay, I'll continue in English.",
        FA: "چشم، از این به بعد به فارسی ادامه می‌دهیم.",
    },
    # -- flow 1: order number, level 1 --
    "ask_order_ref": {
        EN: "Please send your order number (for example S00042).",
        FA: "لطفاً شماره سفارش‌تان را بفرستید (مثلاً S00042).",
    },
    "order_ref_not_recognised": {
        EN: "I couldn't find an order number in your message. Order numbers look like S00042.",
        FA: "شماره سفارشی در پیام‌تان پیدا نکردم. شماره سفارش شبیه S00042 است.",
    },
    "ask_last4": {
        EN: "To protect your privacy, please send the last 4 digits of the mobile number used "
        "for order {ref}.",
        FA: "برای حفظ حریم خصوصی‌تان، لطفاً ۴ رقم آخر شماره موبایلی را که با آن سفارش {ref} "
        "را ثبت کرده‌اید بفرستید.",
    },
    "last4_not_recognised": {
        EN: "Please send only the last 4 digits of the mobile number on the order, "
        "for example 4567.",
        FA: "لطفاً فقط ۴ رقم آخر شماره موبایل ثبت‌شده در سفارش را بفرستید؛ مثلاً ۴۵۶۷.",
    },
    "l1_mismatch": {
        EN: "We couldn't match order {ref} with that mobile number. Please check both and "
        "try again.",
        FA: "نتوانستیم سفارش {ref} را با این شماره موبایل تطبیق بدهیم. لطفاً هر دو را بررسی "
        "کنید و دوباره بفرستید.",
    },
    "l1_locked": {
        EN: "For your security, we can't check more orders in this chat right now. You can "
        "track your orders with your mobile number, or ask our team for help.",
        FA: "برای امنیت اطلاعات‌تان، فعلاً امکان بررسی سفارش‌های بیشتری در این گفتگو نیست. "
        "می‌توانید با شماره موبایل‌تان پیگیری کنید یا از همکاران ما کمک بگیرید.",
    },
    "status_l1": {
        EN: "Order {ref}: {stage}.",
        FA: "وضعیت سفارش {ref}: {stage}.",
    },
    "status_code_l1": {
        EN: "Shipment status: {stage}.",
        FA: "وضعیت مرسوله: {stage}.",
    },
    "status_eta": {
        EN: "Estimated delivery: {eta}.",
        FA: "زمان تقریبی تحویل: {eta}.",
    },
    "status_carrier": {
        EN: "Shipping method: {carrier}.",
        FA: "روش ارسال: {carrier}.",
    },
    "status_last_event": {
        EN: "Latest update: {event}.",
        FA: "آخرین رویداد: {event}.",
    },
    "exception_notice": {
        EN: "There is an issue with this delivery: {label}.",
        FA: "در ارسال این سفارش مشکلی پیش آمده است: {label}.",
    },
    "verify_offer": {
        EN: "To see the tracking code, items, address and payment details, verify with a "
        "one-time code sent by SMS to the mobile number on this order.",
        FA: "برای دیدن کد رهگیری، اقلام، آدرس و جزئیات پرداخت، با کد یک‌بارمصرفی که به "
        "موبایل ثبت‌شده در سفارش پیامک می‌شود تأیید کنید.",
    },
    "next_steps": {
        EN: "What would you like to do next?",
        FA: "قدم بعدی را انتخاب کنید:",
    },
    # -- one-time codes --
    "otp_sent_masked": {
        EN: "We've sent a 6-digit code to {mobile}. Please type it here.",
        FA: "یک کد ۶ رقمی به {mobile} پیامک شد. لطفاً آن را همین‌جا وارد کنید.",
    },
    "otp_sent_registered": {
        EN: "We've sent a 6-digit code to the mobile number registered on this order. "
        "Please type it here.",
        FA: "یک کد ۶ رقمی به شماره موبایل ثبت‌شده در این سفارش پیامک شد. لطفاً آن را "
        "همین‌جا وارد کنید.",
    },
    "otp_sent_if_orders": {
        EN: "If this number has orders with us, we've sent a 6-digit code to {mobile}. "
        "Please type it here.",
        FA: "اگر با این شماره سفارشی ثبت شده باشد، یک کد ۶ رقمی به {mobile} پیامک شده است. "
        "لطفاً آن را همین‌جا وارد کنید.",
    },
    "otp_prompt": {
        EN: "Please type the 6-digit code we sent you by SMS.",
        FA: "لطفاً کد ۶ رقمی پیامک‌شده را وارد کنید.",
    },
    "otp_cooldown": {
        EN: "A code was sent a moment ago. Please wait a minute before asking for a new one.",
        FA: "همین چند لحظه پیش کدی فرستاده شد. لطفاً یک دقیقه صبر کنید و بعد کد جدید درخواست کنید.",
    },
    "otp_daily_cap": {
        EN: "Too many codes have been requested today. Please try again tomorrow, or leave a "
        "request for our team.",
        FA: "امروز کدهای زیادی درخواست شده است. لطفاً فردا دوباره امتحان کنید یا درخواست‌تان "
        "را برای همکاران ما ثبت کنید.",
    },
    "otp_invalid_target": {
        EN: "We can't send a code for this order. Please leave a request and our team will "
        "help you.",
        FA: "امکان ارسال کد برای این سفارش نیست. لطفاً درخواست ثبت کنید تا همکاران ما کمک‌تان کنند.",
    },
    "otp_wrong_left": {
        EN: "That code isn't right. Tries left: {left}.",
        FA: "کد واردشده درست نیست. {left} بار دیگر می‌توانید امتحان کنید.",
    },
    "otp_wrong": {
        EN: "That code isn't right. Please check the SMS and try again.",
        FA: "کد واردشده درست نیست. لطفاً پیامک را دوباره ببینید و امتحان کنید.",
    },
    "otp_expired": {
        EN: "That code has expired. Tap below to get a new one.",
        FA: "این کد منقضی شده است. برای دریافت کد جدید، دکمه زیر را بزنید.",
    },
    "otp_too_many": {
        EN: "Too many wrong tries. Tap below to get a new code.",
        FA: "تعداد تلاش‌های نادرست زیاد شد. برای دریافت کد جدید، دکمه زیر را بزنید.",
    },
    "otp_none": {
        EN: "There's no active code right now. Tap below to get one.",
        FA: "در حال حاضر کد فعالی ندارید. برای دریافت کد، دکمه زیر را بزنید.",
    },
    "verified_ok": {
        EN: "Thank you, you're verified.",
        FA: "ممنون، هویت شما تأیید شد.",
    },
    # -- flow 2: mobile --
    "ask_mobile": {
        EN: "Please send the mobile number you used when ordering, for example 0912 345 6789.",
        FA: "لطفاً شماره موبایلی را که با آن خرید کرده‌اید بفرستید؛ مثلاً ۰۹۱۲ ۳۴۵ ۶۷۸۹.",
    },
    "invalid_mobile": {
        EN: "That doesn't look like an Iranian mobile number. Please send it like 0912 345 6789.",
        FA: "این شماره موبایل معتبر به نظر نمی‌رسد. لطفاً آن را به شکل ۰۹۱۲ ۳۴۵ ۶۷۸۹ بفرستید.",
    },
    "no_orders_for_mobile": {
        EN: "We couldn't find any orders for this number.",
        FA: "سفارشی با این شماره پیدا نکردیم.",
    },
    "choose_order": {
        EN: "Here are your latest orders. Which one would you like to check?",
        FA: "این‌ها آخرین سفارش‌های شما هستند. کدام را می‌خواهید پیگیری کنید؟",
    },
    # -- flow 3: tracking code --
    "ask_tracking_code": {
        EN: "Please send the tracking code.",
        FA: "لطفاً کد رهگیری را بفرستید.",
    },
    "tracking_code_not_recognised": {
        EN: "I couldn't find a tracking code in your message. Please send it as it appears in "
        "the SMS.",
        FA: "کد رهگیری‌ای در پیام‌تان پیدا نکردم. لطفاً آن را همان‌طور که در پیامک آمده بفرستید.",
    },
    "tracking_not_found": {
        EN: "We couldn't find a shipment with this code. New codes can take a few hours to "
        "appear; please check the code or track with your order number.",
        FA: "مرسوله‌ای با این کد پیدا نکردیم. ممکن است کدهای جدید چند ساعت بعد در سیستم ثبت "
        "شوند؛ لطفاً کد را بررسی کنید یا با شماره سفارش پیگیری کنید.",
    },
    # -- level 2: the journey by stage --
    "status_l2": {
        EN: "Order {ref}: {stage}.",
        FA: "وضعیت سفارش {ref}: {stage}.",
    },
    "journey_awaiting_payment": {
        EN: "We haven't received the payment for this order yet. If money has left your "
        "account, the bank usually returns it within 72 hours.",
        FA: "پرداخت این سفارش هنوز به دست ما نرسیده است. اگر مبلغ از حساب‌تان کسر شده، "
        "معمولاً بانک ظرف ۷۲ ساعت آن را برمی‌گرداند.",
    },
    "journey_registered": {
        EN: "Your order is registered and will be prepared soon.",
        FA: "سفارش‌تان ثبت شده و به‌زودی آماده‌سازی می‌شود.",
    },
    "journey_preparing": {
        EN: "Your order is being prepared. When we have many orders, preparation can take a "
        "little longer.",
        FA: "سفارش‌تان در حال آماده‌سازی است. وقتی حجم سفارش‌ها بالاست، آماده‌سازی ممکن است "
        "کمی بیشتر طول بکشد.",
    },
    "journey_handed": {
        EN: "Your parcel has been handed to {carrier}.",
        FA: "مرسوله‌تان به {carrier} تحویل داده شده است.",
    },
    "journey_in_transit": {
        EN: "Your parcel is on its way with {carrier}. The carrier usually updates the status "
        "every {hours} hours, so it can look unchanged for a while.",
        FA: "مرسوله‌تان با {carrier} در مسیر است. وضعیت معمولاً هر {hours} ساعت یک‌بار "
        "به‌روز می‌شود، برای همین ممکن است مدتی بدون تغییر بماند.",
    },
    "in_transit_advice": {
        EN: "If nothing changes within {wait} hours, leave a request and we'll chase the "
        "carrier for you.",
        FA: "اگر تا {wait} ساعت دیگر تغییری نکرد، درخواست ثبت کنید تا موضوع را از شرکت حمل "
        "پیگیری کنیم.",
    },
    "journey_delivered": {
        EN: "Your parcel has been delivered. If you haven't received it, let us know and "
        "we'll look into it.",
        FA: "مرسوله‌تان تحویل داده شده است. اگر آن را دریافت نکرده‌اید، به ما خبر بدهید تا "
        "بررسی کنیم.",
    },
    "journey_cancelled": {
        EN: "This order has been cancelled. If you had paid, the refund follows the usual "
        "bank process.",
        FA: "این سفارش لغو شده است. اگر مبلغی پرداخت کرده بودید، بازگشت وجه طبق روال معمول "
        "بانکی انجام می‌شود.",
    },
    "carrier_generic": {EN: "the carrier", FA: "شرکت حمل"},
    # -- level 2: details --
    "tracking_code_line": {
        EN: "Tracking code: {code}",
        FA: "کد رهگیری: {code}",
    },
    "tracking_link_line": {
        EN: "Track it here: {url}",
        FA: "لینک رهگیری: {url}",
    },
    "tracking_not_yet": {
        EN: "The tracking code will be sent to you by SMS as soon as the parcel is handed to "
        "the carrier.",
        FA: "کد رهگیری به محض تحویل مرسوله به شرکت حمل، برای‌تان پیامک می‌شود.",
    },
    "events_block": {
        EN: "Latest updates:\n{lines}",
        FA: "آخرین رویدادها:\n{lines}",
    },
    "event_line": {
        EN: "• {when}: {text}",
        FA: "• {when}: {text}",
    },
    "event_line_location": {
        EN: "• {when}: {text} ({location})",
        FA: "• {when}: {text} ({location})",
    },
    "items_block": {
        EN: "Items:\n{lines}",
        FA: "اقلام سفارش:\n{lines}",
    },
    "item_line": {
        EN: "• {name} × {qty}",
        FA: "• {name} × {qty}",
    },
    "order_total_line": {
        EN: "Order total: {total}",
        FA: "مبلغ کل سفارش: {total}",
    },
    "address_line": {
        EN: "Delivery address: {address}",
        FA: "آدرس تحویل: {address}",
    },
    "payment_line": {
        EN: "Payment: {state}",
        FA: "وضعیت پرداخت: {state}",
    },
    "payment_ref_line": {
        EN: "Payment reference: {payment_ref}",
        FA: "کد پیگیری پرداخت: {payment_ref}",
    },
    "invoice_for_order": {
        EN: "Invoice for order {ref}: {url}",
        FA: "فاکتور سفارش {ref}: {url}",
    },
    "payment_for_order": {
        EN: "Payment for order {ref}: {state}",
        FA: "وضعیت پرداخت سفارش {ref}: {state}",
    },
    "tracking_code_for_order": {
        EN: "Tracking code of order {ref}: {code}",
        FA: "کد رهگیری سفارش {ref}: {code}",
    },
    "invoice_line": {
        EN: "Invoice: {url}",
        FA: "فاکتور: {url}",
    },
    # -- what a transcript keeps instead of a level-2 line (disclosure.py) --
    "record_items_shown": {
        EN: "[Items of order {ref} shown (level 2)]",
        FA: "[اقلام سفارش {ref} نمایش داده شد (سطح ۲)]",
    },
    "record_total_shown": {
        EN: "[Total of order {ref} shown (level 2)]",
        FA: "[مبلغ کل سفارش {ref} نمایش داده شد (سطح ۲)]",
    },
    "record_address_shown": {
        EN: "[Delivery address of order {ref} shown (level 2)]",
        FA: "[آدرس تحویل سفارش {ref} نمایش داده شد (سطح ۲)]",
    },
    "record_payment_shown": {
        EN: "[Payment state of order {ref} shown (level 2)]",
        FA: "[وضعیت پرداخت سفارش {ref} نمایش داده شد (سطح ۲)]",
    },
    "record_payment_ref_shown": {
        EN: "[Payment reference of order {ref} shown (level 2)]",
        FA: "[کد پیگیری پرداخت سفارش {ref} نمایش داده شد (سطح ۲)]",
    },
    "record_events_shown": {
        EN: "[Latest carrier updates of order {ref} shown (level 2)]",
        FA: "[آخرین رویدادهای مرسوله سفارش {ref} نمایش داده شد (سطح ۲)]",
    },
    # -- questions about an order, before and after verification --
    "payment_help_general": {
        EN: "If money has left your account but the order wasn't placed, the bank usually "
        "returns it within 72 hours. To check the payment of a specific order, send its "
        "order number.",
        FA: "اگر مبلغ از حساب‌تان کسر شده ولی سفارش ثبت نشده، معمولاً بانک ظرف ۷۲ ساعت آن را "
        "برمی‌گرداند. برای بررسی پرداخت یک سفارش مشخص، شماره سفارش را بفرستید.",
    },
    "payment_help_order": {
        EN: "If the bank took the money but the order still shows unpaid, it's usually settled "
        "within 72 hours. If it has been longer, leave a request and our finance team will "
        "check it with the payment reference.",
        FA: "اگر مبلغ از حساب‌تان کسر شده ولی سفارش هنوز پرداخت‌نشده است، معمولاً ظرف ۷۲ ساعت "
        "تعیین تکلیف می‌شود. اگر بیشتر طول کشیده، درخواست ثبت کنید تا همکاران مالی ما با کد "
        "پیگیری پرداخت بررسی کنند.",
    },
    "invoice_general": {
        EN: "To get the invoice of an order, send its order number and verify with an SMS code.",
        FA: "برای دریافت فاکتور، شماره سفارش را بفرستید و با کد پیامکی تأیید کنید.",
    },
    "invoice_requested": {
        EN: "The invoice for this order isn't ready yet. We've recorded your request as "
        "{ticket} and our team will send it to you.",
        FA: "فاکتور این سفارش هنوز صادر نشده است. درخواست‌تان با شماره {ticket} ثبت شد و "
        "همکاران ما فاکتور را برای‌تان می‌فرستند.",
    },
    "tracking_code_general": {
        EN: "The tracking code is sent by SMS once the parcel is handed to the carrier. Send "
        "your order number and we'll check.",
        FA: "کد رهگیری پس از تحویل مرسوله به شرکت حمل پیامک می‌شود. شماره سفارش‌تان را "
        "بفرستید تا بررسی کنیم.",
    },
    "update_interval_explain": {
        EN: "Carriers update the status in batches, usually every few hours, and a parcel can "
        "stay at a sorting centre for up to a day without a new event.",
        FA: "شرکت‌های حمل وضعیت را دسته‌ای و معمولاً هر چند ساعت یک‌بار به‌روز می‌کنند و ممکن "
        "است مرسوله تا یک روز بدون رویداد جدید در مرکز مبادلات بماند.",
    },
    "delay_apology": {
        EN: "Sorry for the wait. Let's check where your order is.",
        FA: "بابت انتظار عذرخواهی می‌کنیم. بیایید ببینیم سفارش‌تان کجاست.",
    },
    "delay_ticket_offer": {
        EN: "If this is later than we promised, leave a request and our team will follow it "
        "up with the carrier.",
        FA: "اگر از زمان وعده‌داده‌شده گذشته، درخواست ثبت کنید تا همکاران ما موضوع را با "
        "شرکت حمل پیگیری کنند.",
    },
    # -- tickets and people --
    "exception_ticket": {
        EN: "We've opened request {ticket} for this. Our team will follow up within one "
        "working day.",
        FA: "برای این موضوع درخواست {ticket} ثبت شد. همکاران ما حداکثر تا یک روز کاری "
        "پیگیری می‌کنند.",
    },
    "ticket_opened": {
        EN: "Your request has been recorded as {ticket}. Our team will contact you on the "
        "mobile number registered on the order.",
        FA: "درخواست‌تان با شماره {ticket} ثبت شد. همکاران ما با شماره موبایل ثبت‌شده در "
        "سفارش با شما تماس می‌گیرند.",
    },
    "ticket_opened_contact": {
        EN: "Your request has been recorded as {ticket}. Our team will contact you at {mobile} "
        "and check the order with you.",
        FA: "درخواست‌تان با شماره {ticket} ثبت شد. همکاران ما با شماره {mobile} با شما تماس "
        "می‌گیرند و سفارش را با شما بررسی می‌کنند.",
    },
    "ticket_exists": {
        EN: "Your request is already recorded as {ticket}; our team will contact you.",
        FA: "درخواست‌تان قبلاً با شماره {ticket} ثبت شده است و همکاران ما با شما تماس می‌گیرند.",
    },
    "sensitive_change_address": {
        EN: "A change of delivery address has to be checked by a colleague, so I'll pass it "
        "to our team.",
        FA: "تغییر آدرس باید توسط همکاران ما بررسی شود؛ درخواست‌تان را به آن‌ها می‌سپارم.",
    },
    "sensitive_return_request": {
        EN: "Returns are handled by our team, who will guide you step by step.",
        FA: "مرجوعی کالا را همکاران ما انجام می‌دهند و قدم‌به‌قدم راهنمایی‌تان می‌کنند.",
    },
    "sensitive_cancel_order": {
        EN: "Cancellations are handled by our team, who will check whether the order can "
        "still be stopped.",
        FA: "لغو سفارش را همکاران ما بررسی می‌کنند تا ببینند هنوز امکان توقف ارسال هست یا نه.",
    },
    "ask_contact_mobile": {
        EN: "Please send your mobile number so our team can contact you.",
        FA: "لطفاً شماره موبایل‌تان را بفرستید تا همکاران ما با شما تماس بگیرند.",
    },
    "operator_offer": {
        EN: "A colleague is online now if you'd like to chat.",
        FA: "یکی از همکاران ما الان آنلاین است؛ اگر بخواهید می‌توانید با او گفتگو کنید.",
    },
    "handover": {
        EN: "I'm connecting you with a colleague, who can read our conversation so far. "
        "Please continue in the live chat window.",
        FA: "در حال وصل کردن شما به یکی از همکاران هستم؛ گفتگوی ما تا اینجا را می‌بیند. "
        "لطفاً در پنجرهٔ گفتگوی زنده ادامه دهید.",
    },
    "human_unavailable": {
        EN: "Our team isn't online right now, but we'll record your request so they can "
        "contact you.",
        FA: "همکاران ما الان آنلاین نیستند، اما درخواست‌تان را ثبت می‌کنیم تا با شما تماس بگیرند.",
    },
    "wait_ack": {
        EN: "Sure. We'll let you know by SMS when the status changes.",
        FA: "حتماً. هر وقت وضعیت تغییر کرد، با پیامک خبرتان می‌کنیم.",
    },
    # -- flow 4: before buying --
    "ask_city": {
        EN: "Which city should we ship to?",
        FA: "به کدام شهر می‌خواهید ارسال شود؟",
    },
    "city_not_recognised": {
        EN: "Sorry, I don't know that city. Please pick one below or type its name.",
        FA: "ببخشید، این شهر را نشناختم. لطفاً از گزینه‌های زیر انتخاب کنید یا نام شهر را بنویسید.",
    },
    "city_hint": {
        EN: "Tell me your city and I'll give you the price and delivery time.",
        FA: "شهرتان را بگویید تا هزینه و زمان ارسال را اعلام کنم.",
    },
    "not_covered": {
        EN: "Sorry, we don't ship to {city} yet.",
        FA: "متأسفانه فعلاً به {city} ارسال نداریم.",
    },
    "coverage_yes": {
        EN: "Yes, we ship to {city}:\n{lines}",
        FA: "بله، به {city} ارسال داریم:\n{lines}",
    },
    "quote_time": {
        EN: "Delivery time to {city}:\n{lines}",
        FA: "زمان ارسال به {city}:\n{lines}",
    },
    "quote_cost": {
        EN: "Shipping cost to {city}:\n{lines}",
        FA: "هزینه ارسال به {city}:\n{lines}",
    },
    "quote_methods_city": {
        EN: "Shipping methods to {city}:\n{lines}",
        FA: "روش‌های ارسال به {city}:\n{lines}",
    },
    "quote_methods": {
        EN: "Our shipping methods:\n{lines}",
        FA: "روش‌های ارسال ما:\n{lines}",
    },
    "no_methods": {
        EN: "Shipping options aren't available in the chat right now; our team can help.",
        FA: "در حال حاضر اطلاعات روش‌های ارسال در گفتگو در دسترس نیست؛ همکاران ما "
        "راهنمایی‌تان می‌کنند.",
    },
    "quote_line_full": {
        EN: "• {method}: {price}, {eta}",
        FA: "• {method}: {price}، {eta}",
    },
    "quote_line_time": {
        EN: "• {method}: {eta}",
        FA: "• {method}: {eta}",
    },
    "quote_line_cost": {
        EN: "• {method}: {price}",
        FA: "• {method}: {price}",
    },
    "quote_line_cost_free": {
        EN: "• {method}: {price} (free for orders over {free_over})",
        FA: "• {method}: {price} (برای خرید بیشتر از {free_over} رایگان)",
    },
    "method_line": {
        EN: "• {method}",
        FA: "• {method}",
    },
    # -- closing --
    "thanks_reply": {
        EN: "You're welcome, happy to help!",
        FA: "خواهش می‌کنم، خوشحالم که توانستم کمک کنم!",
    },
    "bye_reply": {
        EN: "Goodbye, have a nice day!",
        FA: "خدانگهدار، روز خوبی داشته باشید!",
    },
    "csat_ask": {
        EN: "How satisfied are you with this chat? (1 = not at all, 5 = very)",
        FA: "چقدر از این گفتگو راضی بودید؟ (۱ = اصلاً، ۵ = خیلی زیاد)",
    },
    "csat_thanks": {
        EN: "Thank you for your feedback!",
        FA: "از بازخوردتان ممنونیم!",
    },
    # -- customer stages --
    "stage_awaiting_payment": {EN: "awaiting payment", FA: "در انتظار پرداخت"},
    "stage_registered": {EN: "registered", FA: "ثبت شده"},
    "stage_preparing": {EN: "being prepared", FA: "در حال آماده‌سازی"},
    "stage_handed_to_carrier": {EN: "handed to the carrier", FA: "تحویل به پست/پیک"},
    "stage_in_transit": {EN: "on its way", FA: "در مسیر"},
    "stage_delivered": {EN: "delivered", FA: "تحویل شده"},
    "stage_cancelled": {EN: "cancelled", FA: "لغو شده"},
    "stage_unknown": {EN: "being processed", FA: "در حال پردازش"},
    # -- exceptions: label and what happens next --
    "exception_delayed": {EN: "delayed", FA: "تأخیر در ارسال"},
    "exception_returned_to_sender": {EN: "returned to sender", FA: "برگشت به مبدأ"},
    "exception_lost": {EN: "lost in transit", FA: "مفقود شدن مرسوله"},
    "exception_address_issue": {EN: "incomplete address", FA: "نقص در آدرس"},
    "exception_failed_attempt": {EN: "delivery attempt failed", FA: "تحویل ناموفق"},
    "exception_damaged": {EN: "damaged in transit", FA: "آسیب‌دیدگی مرسوله"},
    "exception_unknown": {EN: "delivery problem", FA: "مشکل در ارسال"},
    # What happens next, one sentence per exception (and per delay reason): said in the chat,
    # posted as the customer notice and shown to staff, always rendered in the reader's language.
    "exception_delayed_next": {
        EN: "Your parcel is taking longer than usual. We have asked the carrier and will update "
        "you within one business day.",
        FA: "ارسال مرسوله شما بیشتر از معمول طول کشیده است. از شرکت حمل پیگیری کرده‌ایم و تا "
        "یک روز کاری دیگر به شما خبر می‌دهیم.",
    },
    "exception_delayed_stale_next": {
        EN: "The carrier has not updated the tracking for a few days. We are asking them where "
        "your parcel is and will let you know.",
        FA: "شرکت حمل چند روز است وضعیت مرسوله را به‌روز نکرده است. از آن‌ها می‌پرسیم مرسوله "
        "کجاست و به شما خبر می‌دهیم.",
    },
    "exception_delayed_no_first_scan_next": {
        EN: "The carrier has not scanned your parcel yet. We are checking with them and will "
        "let you know.",
        FA: "مرسوله شما هنوز در شرکت حمل اسکن نشده است. موضوع را با آن‌ها بررسی می‌کنیم و به "
        "شما خبر می‌دهیم.",
    },
    "exception_returned_to_sender_next": {
        EN: "The parcel is on its way back to us. Please confirm your address; a colleague will "
        "arrange the new delivery with you.",
        FA: "مرسوله در حال بازگشت به فروشگاه است. لطفاً آدرس خود را تأیید کنید؛ همکاران ما برای "
        "ارسال دوباره با شما هماهنگ می‌کنند.",
    },
    "exception_lost_next": {
        EN: "We cannot locate your parcel. A colleague is handling it with priority and will "
        "contact you as soon as possible.",
        FA: "مرسوله شما پیدا نمی‌شود. همکاران ما با اولویت پیگیری می‌کنند و در اولین فرصت با "
        "شما تماس می‌گیرند.",
    },
    "exception_lost_hours_next": {
        EN: "We cannot locate your parcel. A colleague is handling it with priority and will "
        "contact you within {hours} hours.",
        FA: "مرسوله شما پیدا نمی‌شود. همکاران ما با اولویت پیگیری می‌کنند و حداکثر تا {hours} "
        "ساعت دیگر با شما تماس می‌گیرند.",
    },
    "exception_address_issue_next": {
        EN: "The carrier could not find your address. Please complete it with the secure link "
        "we sent you; a colleague will confirm it.",
        FA: "شرکت حمل نشانی شما را پیدا نکرد. لطفاً آدرس را با لینک امنی که برایتان فرستادیم "
        "کامل کنید؛ همکاران ما آن را تأیید می‌کنند.",
    },
    "exception_failed_attempt_next": {
        EN: "The carrier could not deliver your parcel and will try again. A colleague will "
        "contact you if needed.",
        FA: "شرکت حمل نتوانست مرسوله را تحویل دهد و دوباره تلاش می‌کند. در صورت نیاز همکاران "
        "ما با شما تماس می‌گیرند.",
    },
    "exception_damaged_next": {
        EN: "The carrier reported damage to your parcel. A colleague will contact you about a "
        "replacement or a refund.",
        FA: "شرکت حمل آسیب‌دیدگی مرسوله را گزارش کرده است. همکاران ما برای تعویض یا "
        "بازگرداندن وجه با شما تماس می‌گیرند.",
    },
    "exception_unknown_next": {
        EN: "Our team will look into it and contact you within one working day.",
        FA: "همکاران ما موضوع را بررسی می‌کنند و حداکثر تا یک روز کاری با شما تماس می‌گیرند.",
    },
    # The stage as it really is once something went wrong: no "on its way" for a parcel that
    # is coming back or cannot be found.
    "stage_exception_delayed": {EN: "on its way, later than planned", FA: "در مسیر، با تأخیر"},
    "stage_exception_returned_to_sender": {
        EN: "on its way back to us",
        FA: "در حال بازگشت به فروشگاه",
    },
    "stage_exception_lost": {EN: "being investigated", FA: "در حال بررسی و جست‌وجو"},
    "stage_exception_address_issue": {
        EN: "on hold until the address is complete",
        FA: "متوقف تا تکمیل آدرس",
    },
    "stage_exception_failed_attempt": {
        EN: "delivery attempted, to be tried again",
        FA: "تحویل ناموفق، در انتظار تلاش دوباره",
    },
    "stage_exception_damaged": {EN: "reported damaged", FA: "گزارش آسیب‌دیدگی"},
    "stage_exception_unknown": {
        EN: "held up by a delivery problem",
        FA: "متوقف به دلیل مشکل در ارسال",
    },
    # -- payment states --
    "payment_state_paid": {EN: "paid", FA: "پرداخت‌شده"},
    "payment_state_not_paid": {EN: "not paid", FA: "پرداخت‌نشده"},
    "payment_state_pending": {EN: "being confirmed by the bank", FA: "در انتظار تأیید بانک"},
    "payment_state_refunded": {EN: "refunded", FA: "بازگشت داده‌شده"},
    "payment_state_failed": {EN: "failed", FA: "ناموفق"},
    "payment_state_unknown": {EN: "unknown", FA: "نامشخص"},
    # -- buttons --
    "btn_verify_sms": {EN: "Verify with SMS code", FA: "تأیید با کد پیامکی"},
    "btn_resend_code": {EN: "Send a new code", FA: "ارسال کد جدید"},
    "btn_open_ticket": {EN: "Open a request", FA: "ثبت درخواست پیگیری"},
    "btn_human": {EN: "Talk to a person", FA: "گفتگو با کارشناس"},
    "btn_wait": {EN: "I'll wait", FA: "صبر می‌کنم"},
    "btn_track_order": {EN: "Track by order number", FA: "پیگیری با شماره سفارش"},
    "btn_track_mobile": {EN: "Track by mobile number", FA: "پیگیری با شماره موبایل"},
    "btn_track_code": {EN: "Track by tracking code", FA: "پیگیری با کد رهگیری"},
    "btn_shipping": {EN: "Shipping questions", FA: "سؤال درباره ارسال"},
    "btn_menu": {EN: "Main menu", FA: "منوی اصلی"},
    "btn_order": {EN: "{ref} ({stage})", FA: "{ref} ({stage})"},
    "btn_city": {EN: "{name}", FA: "{name}"},
    "btn_csat": {EN: "{stars}", FA: "{stars}"},
}


def lang_code(lang):
    """Map any spelling of a language (``fa``, ``fa-IR``, ``en_GB``) to a catalogue language.

    No language at all means Persian: the shops this addon is for sell in Iran.
    """
    lang = (lang or DEFAULT_LANG).lower().replace("-", "_")
    return FA if lang.startswith("fa") else EN


def render(key, lang, **params):
    """Return the text of ``key`` in ``lang`` with ``params`` filled in.

    An unknown key or a missing parameter raises ``KeyError``: the catalogue test catches those
    before a customer does.
    """
    lang = lang_code(lang)
    template = CATALOGUE[key][lang]
    if lang == FA:
        # Only real numbers (counts, hours) get Persian digits: refs, codes and URLs stay ASCII
        # because customers copy them.
        params = {k: persian_digits(v) if isinstance(v, int) else v for k, v in params.items()}
    return template.format_map(params)


def _label(prefix, value, lang):
    key = f"{prefix}_{value}"
    return render(key if key in CATALOGUE else f"{prefix}_unknown", lang)


def stage_label(stage, lang, exception_type=None):
    """The customer-facing name of a stage (``registered`` -> «ثبت شده»).

    A delivery exception changes what the stage means: a parcel returned to sender is "on its
    way back to us", not "on its way". Only a cancelled order keeps its own word.
    """
    if exception_type and stage != "cancelled":
        return _label("stage_exception", exception_type, lang)
    return _label("stage", stage, lang)


def exception_label(exception_type, lang):
    """The customer-facing name of a delivery exception."""
    return _label("exception", exception_type, lang)


def exception_next_step_key(exception_type, reason=None, hours=None):
    """The catalogue key of what happens next: per delay reason, with a deadline when known."""
    candidates = []
    if reason:
        candidates.append(f"exception_{exception_type}_{reason}_next")
    if hours:
        candidates.append(f"exception_{exception_type}_hours_next")
    candidates += [f"exception_{exception_type}_next", "exception_unknown_next"]
    return next(key for key in candidates if key in CATALOGUE)


def exception_next_step(exception_type, lang, reason=None, hours=None):
    """What happens next for a delivery exception, and when, in ``lang``.

    ``reason`` refines a delay (``late``, ``stale``, ``no_first_scan``); ``hours`` is the time
    the team promises to answer in (lost parcels). Rendered when it is read, never stored, so a
    Persian customer reading an English shop's chat gets it in Persian.
    """
    key = exception_next_step_key(exception_type, reason, hours)
    return render(key, lang, hours=int(hours)) if hours else render(key, lang)


def payment_state_label(state, lang):
    """The customer-facing name of a payment state."""
    return _label("payment_state", state, lang)
