"""Rule-based intent classification for Persian and English customer messages.

Each intent has weighted rules. A rule is one or more groups of keyword phrases; it scores its
weight when every group has a phrase in the text (so "address" + "change" is one rule that needs
both words, anywhere). Phrases use :func:`normalize.phrase_regex`, so ZWNJ, space and no-space
spellings and Arabic letters all match the same phrase.

The raw scores are then arbitrated, in this order, because a wrong guess costs differently:

1. sensitive intents (change address, return, cancel) win whenever they score: answering them
   with a status would be wrong, and they are never automated anyway;
2. a specific question (payment, invoice, delay, a person, ...) scoring at least
   ``SPECIFIC_MIN`` keeps its intent even when an order ref is present; the policy carries the
   ref along;
3. a clear "how do you ship?" (a way-of-shipping word or a carrier's name next to a shipping
   verb) without a city is about methods, not coverage, cost or time;
4. otherwise a found order ref, tracking code or mobile decides: track_order, track_code,
   track_mobile (in that order), and questions about buying are dropped since an existing order
   is meant;
5. otherwise the best keyword score; greetings, thanks and goodbyes only win when nothing else
   scored;
6. nothing at all is ``unknown``.
"""

from dataclasses import dataclass, field

from .entities import Entities, EntityExtractor
from .normalize import normalize_text, phrase_regex

TRACK_ORDER = "track_order"
TRACK_MOBILE = "track_mobile"
TRACK_CODE = "track_code"
WHERE_IS_TRACKING_CODE = "where_is_tracking_code"
WHY_NO_UPDATE = "why_no_update"
DELAY_COMPLAINT = "delay_complaint"
PRE_PURCHASE_TIME = "pre_purchase_time"
PRE_PURCHASE_COVERAGE = "pre_purchase_coverage"
PRE_PURCHASE_COST = "pre_purchase_cost"
PRE_PURCHASE_METHODS = "pre_purchase_methods"
PAYMENT_STATUS = "payment_status"
INVOICE = "invoice"
CHANGE_ADDRESS = "change_address"
RETURN_REQUEST = "return_request"
CANCEL_ORDER = "cancel_order"
HUMAN = "human"
THANKS = "thanks"
BYE = "bye"
GREETING = "greeting"
UNKNOWN = "unknown"

ALL_INTENTS = (
    TRACK_ORDER, TRACK_MOBILE, TRACK_CODE, WHERE_IS_TRACKING_CODE, WHY_NO_UPDATE,
    DELAY_COMPLAINT, PRE_PURCHASE_TIME, PRE_PURCHASE_COVERAGE, PRE_PURCHASE_COST,
    PRE_PURCHASE_METHODS, PAYMENT_STATUS, INVOICE, CHANGE_ADDRESS, RETURN_REQUEST,
    CANCEL_ORDER, HUMAN, THANKS, BYE, GREETING, UNKNOWN,
)  # fmt: skip
SENSITIVE_INTENTS = (CHANGE_ADDRESS, RETURN_REQUEST, CANCEL_ORDER)
SOCIAL_INTENTS = (THANKS, BYE, GREETING)
TRACKING_INTENTS = (TRACK_ORDER, TRACK_MOBILE, TRACK_CODE)
PRE_PURCHASE_INTENTS = (
    PRE_PURCHASE_TIME, PRE_PURCHASE_COVERAGE, PRE_PURCHASE_COST, PRE_PURCHASE_METHODS,
)  # fmt: skip

# Not an intent: a marker that the customer talks about an order they already placed, which
# turns "how long does it take?" from a pre-purchase question into a tracking one.
_EXISTING_ORDER = "_existing_order"

# Below this raw score a keyword hit is too weak to be an intent on its own.
MIN_SCORE = 1.0
# A specific question this strong keeps its intent even next to an order ref.
SPECIFIC_MIN = 2.0
# Confidence of a tracking intent chosen because a ref, code or mobile was found.
ENTITY_SCORE = 0.9
# Raw score that maps to confidence 1.0.
FULL_SCORE = 3.0

# Ties are broken by this order: the more harmful a miss, the earlier.
_PRIORITY = {intent: i for i, intent in enumerate(ALL_INTENTS[::-1])}
_PRIORITY[_EXISTING_ORDER] = -1
_PRIORITY.update({CANCEL_ORDER: 100, RETURN_REQUEST: 99, CHANGE_ADDRESS: 98, HUMAN: 97})

# Vocabulary shared by several rules: the features of a "how do you ship?" question.
# A way or means of shipping.
_WAYS = (
    "روش*|نحوه*|شیوه*|طریق*|از چه طریق|چه طوری|چطوری|چطور|چجوری|چه جوری|چگونه|با چی|با چه|"
    "کدوم شرکت*|کدام شرکت*|چه شرکت*|شرکت حمل*|شرکت پست*|"
    "method*|option*|ways|way of|how do you|how will you|how would you|how can you|by what|"
    "with what|with which|which carrier*|what carrier*|which courier*|what courier*|"
    "which company|which companies|which service*|carriers|couriers|delivery service*|"
    "shipping company|shipping companies|shipping provider*|what do you use"
)
# Sending something, in both languages (the noun too: «روش ارسال», "shipping options").
_SHIP_VERBS = (
    "ارسال*|می فرست*|میفرست*|بفرست*|فرستاد*|فرستادن|تحویل*|پست می کن*|حمل*|"
    "ship|ships|shipping|shipped|deliver*|send*|sent|post"
)
# Having or using something: "do you have Tipax?", «تیپاکس دارید؟».
_OFFER = (
    "دارید|دارین|داری|دارن|داره|هست|هستن|استفاده می کنید|استفاده می کنین|کار می کنید|"
    "کار می کنین|have|offer*|use|using|work with|available|support*"
)
# Carriers and kinds of shipping customers name.
_CARRIERS = (
    "پست|پستی|پست پیشتاز|پیشتاز|پست سفارشی|تیپاکس|چاپار|پیک|پیک موتوری|پستکس|ماهکس|الوپیک|"
    "اسنپ باکس|باربری|tipax|chapar|postex|mahex|alopeyk|snapp box|courier|the post|post office|"
    "postal|iran post|express post|pishtaz|freight|carrier*|courier*"
)

# (intent, weight, group, group, ...): every group is "phrase|phrase|..." and must match.
# Persian phrases are written with a space at the usual ZWNJ joints (می رسه): the space is
# optional when matching. A trailing * lets Persian suffixes follow (سفارش* -> سفارشم).
_RULES = (
    # -- tracking an order --
    (TRACK_ORDER, 1.0, "سفارش*|order|orders|my order"),
    (TRACK_ORDER, 0.5, "بسته*|پکیج*|package|parcel"),
    (TRACK_ORDER, 1.5, "کجاست|کجاس|کجا موند*|where is|where's|wheres"),
    (TRACK_ORDER, 2.0, "کی می رسه|کی می رسد|کی به دستم*|کی تحویل*|کی ارسال*|when will*"),
    (TRACK_ORDER, 1.0, "وضعیت*|پیگیری*|status|track|tracking|any update*|any news"),
    (TRACK_ORDER, 1.0, "ارسال شده|ارسال کردین|ارسال کردید|shipped|dispatched"),
    (_EXISTING_ORDER, 1.0, "سفارشم*|سفارش من|بسته من|my order|my package|my parcel"),
    # -- tracking by mobile --
    (TRACK_MOBILE, 1.5, "با شماره*|با این شماره|شماره موبایل*|شماره تلفن*|شماره همراه*|موبایلم"),
    (TRACK_MOBILE, 1.5, "my number|phone number|mobile number|my phone|my mobile|cell number"),
    # -- tracking by code --
    (TRACK_CODE, 1.5, "کد رهگیری*|کد پیگیری*|شماره رهگیری*|بارنامه*|مرسوله*|شماره مرسوله*"),
    (TRACK_CODE, 1.5, "tracking code|tracking number|waybill|consignment|track this|can you track"),
    # -- the tracking code never arrived --
    (
        WHERE_IS_TRACKING_CODE,
        3.0,
        "کد رهگیری*|کد پیگیری*|شماره رهگیری*|رهگیری",
        (
            "نیومد*|نیامد*|نیومده|نیامده|پیامک نشد*|اس ام اس نشد*|ندادین|ندادید|ندادن|نگرفتم|"
            "نرسید*|کو|کجاست|کجاس|ارسال نشد*|نفرستادین|نفرستادید|ندارم|چی شد|بدین|بدید|می خوام"
        ),
    ),
    (
        WHERE_IS_TRACKING_CODE,
        3.0,
        "tracking code|tracking number|tracking link|tracking info*",
        (
            "where|didn't get|did not get|didnt get|haven't received|havent received|not received|"
            "never got|never received|missing|send me|no tracking|don't have|dont have|give me"
        ),
    ),
    # -- the status does not move --
    (
        WHY_NO_UPDATE,
        3.0,
        (
            "اپدیت نمی شه|اپدیت نمی شود|اپدیت نشده|به روز نمی شه|بروز نمی شه|به روز نشده|"
            "بروز نشده|تغییر نکرده|تغییر نمی کنه|عوض نشده|عوض نمی شه|تکون نخورده|جلو نرفته"
        ),
    ),
    (WHY_NO_UPDATE, 3.0, "وضعیت*", "مونده|مانده|ثابت*|گیر کرده|همونه|هنوز همون*"),
    (
        WHY_NO_UPDATE,
        3.0,
        (
            "not updated|no update|no updates|hasn't updated|hasnt updated|hasn't changed|"
            "hasnt changed|not changed|hasn't moved|hasnt moved|not moving|stuck|still says|"
            "still shows|same status"
        ),
    ),
    (WHY_NO_UPDATE, 3.0, "since", "transit|says|status|shows|stuck"),
    # -- it takes too long --
    (
        DELAY_COMPLAINT,
        3.0,
        (
            "طول کشیده|طول کشید|دیر کرده|دیر شده|تاخیر*|تأخیر*|هنوز نرسیده|هنوز نیومده|هنوز نیامده|"
            "هنوز ارسال نکرد*|هنوز نفرستاد*|خیلی وقته|چرا اینقدر|چرا انقدر"
        ),
    ),
    (DELAY_COMPLAINT, 2.0, "منتظرم|منتظر موندم|هفته ست|هفتس|روزه منتظر*|قرار بود*"),
    (
        DELAY_COMPLAINT,
        3.0,
        (
            "taking so long|so late|is late|delayed|still waiting|been waiting|waiting for*|"
            "hasn't arrived|hasnt arrived|not arrived|still not here|supposed to arrive|"
            "should have arrived|where the hell"
        ),
    ),
    # -- before buying: how long --
    (
        PRE_PURCHASE_TIME,
        3.0,
        (
            "چند روزه|چند روز طول*|چند روز می رسه|چقدر طول می کشه|چقدر طول می کشد|چقد طول می کشه|"
            "زمان ارسال|زمان تحویل|مدت ارسال|مدت زمان ارسال"
        ),
    ),
    (
        PRE_PURCHASE_TIME,
        3.0,
        "how long|how many days|delivery time|shipping time|how fast|how quickly",
    ),
    # -- before buying: do you ship there --
    (
        PRE_PURCHASE_COVERAGE,
        3.0,
        (
            "ارسال دارین|ارسال دارید|ارسال دارن|ارسال می کنین|ارسال می کنید|می فرستین|می فرستید|"
            "ارسال هست|ارسال میشه|پوشش می دین|پوشش می دید"
        ),
    ),
    (PRE_PURCHASE_COVERAGE, 3.0, "do you ship|do you deliver|ship to|deliver to|shipping to"),
    # -- before buying: how much --
    (
        PRE_PURCHASE_COST,
        3.0,
        ("هزینه ارسال|هزینه پست*|هزینه پیک|هزینه تیپاکس|قیمت ارسال|ارسال رایگان|کرایه*|هزینه حمل"),
    ),
    (PRE_PURCHASE_COST, 1.5, "هزینه*|رایگان*|چقدر می شه|چند می شه|چنده"),
    (
        PRE_PURCHASE_COST,
        3.0,
        (
            "shipping cost*|delivery cost*|shipping fee*|delivery fee*|shipping charge*|"
            "free shipping|free delivery|how much is shipping|how much is delivery|cost of shipping"
        ),
    ),
    (PRE_PURCHASE_COST, 1.5, "how much|cost|price"),
    # -- before buying: how (by features: a way-of-shipping word, or a carrier's name, next to
    # a shipping verb; any order, any spelling, so "what shipping methods do you have?",
    # «چه روش‌های ارسالی دارید؟», «با چی می‌فرستید» and "do you ship with Tipax?" all match) --
    (PRE_PURCHASE_METHODS, 3.0, _WAYS, _SHIP_VERBS),
    (PRE_PURCHASE_METHODS, 3.0, _CARRIERS, _SHIP_VERBS + "|" + _OFFER),
    (PRE_PURCHASE_METHODS, 3.0, "پیک موتوری|تحویل حضوری|حضوری|ارسال فوری|same day|same-day"),
    (PRE_PURCHASE_METHODS, 3.0, "pick up in store|pickup|express delivery|motorbike|motorcycle"),
    (PRE_PURCHASE_METHODS, 1.0, _CARRIERS),
    # -- payment --
    (
        PAYMENT_STATUS,
        3.0,
        (
            "پول از حسابم*|از حسابم کم*|از حسابم رفت*|از حسابم کسر*|کسر شد*|کم شد*|پرداخت کردم|"
            "پرداخت ناموفق|پرداخت نشد*|کد پیگیری پرداخت|شماره پیگیری پرداخت|پرداختم*|واریز کردم"
        ),
    ),
    (PAYMENT_STATUS, 1.5, "پرداخت*|درگاه*|واریز*|پول*|تراکنش*|بانک*"),
    (
        PAYMENT_STATUS,
        3.0,
        (
            "i paid|i have paid|i've paid|already paid|unpaid|not paid|payment failed|"
            "was charged|been charged|money was taken|payment reference|payment status"
        ),
    ),
    (PAYMENT_STATUS, 1.5, "payment*|paid|charged|money|transaction*|bank"),
    # -- invoice --
    (INVOICE, 3.0, "فاکتور*|صورتحساب*|صورت حساب*|invoice*|receipt*|vat bill"),
    # -- sensitive: change the address --
    (
        CHANGE_ADDRESS,
        3.0,
        "ادرس*|نشانی*|پلاک*|کد پستی*",
        "عوض*|تغییر*|اشتباه*|ویرایش*|اصلاح*|غلط*|جدید*|درست کنید|درست کنین",
    ),
    (CHANGE_ADDRESS, 3.0, "به جای خونه|بجای خونه|به جای منزل|محل کارم*|محل کار بفرست*"),
    (
        CHANGE_ADDRESS,
        3.0,
        "address",
        "change*|wrong|update*|edit*|correct*|new|different|modify|fix",
    ),
    (CHANGE_ADDRESS, 3.0, "to my office|to my work|redirect*|send it elsewhere"),
    # -- sensitive: return --
    (
        RETURN_REQUEST,
        3.0,
        (
            "پس بدم|پس بدیم|پس بفرستم|پس بگیرید|پس بگیرین|مرجوع*|برگشت بزن*|برگردون*|عودت*|"
            "تعویض*|بازگشت وجه|پولمو پس*|پولم رو پس*"
        ),
    ),
    (RETURN_REQUEST, 2.5, "اسیب دید*|خراب*|شکسته*|معیوب*|ناقص رسید*|اشتباه فرستاد*"),
    (
        RETURN_REQUEST,
        3.0,
        "return*|refund*|send it back|exchange*|damaged|broken|defective|wrong item",
    ),
    # -- sensitive: cancel --
    (
        CANCEL_ORDER,
        3.0,
        "کنسل*|لغو*|منصرف*|نمی خوامش|دیگه نمی خوام|نمی خوام دیگه|cancel*|call off",
    ),
    (CANCEL_ORDER, 2.0, "don't want|dont want|do not want|no longer want"),
    # -- a person --
    (
        HUMAN,
        3.0,
        (
            "کارشناس*|اپراتور*|پشتیبان*|ادم واقعی|آدم واقعی|حرف بزنم|صحبت کنم|یه نفر|یک نفر|"
            "تماس بگیر*|زنگ بزن*|زنگ بزنید"
        ),
    ),
    (
        HUMAN,
        3.0,
        (
            "human|agent|operator|real person|speak to|talk to|someone|somebody|representative|"
            "call me|customer service|support team"
        ),
    ),
    # -- politeness --
    (THANKS, 2.0, "مرسی|ممنون*|متشکر*|سپاس*|لطف کردین|لطف کردید|دستت درد نکنه|دمت گرم"),
    (THANKS, 2.0, "thanks|thank you|thank u|thx|ty|appreciate*|cheers"),
    (BYE, 2.0, "خداحافظ*|خدانگهدار|خدا نگهدار|بای|فعلا|bye|goodbye|good bye|see you"),
    (
        GREETING,
        1.5,
        (
            "سلام*|درود|وقت بخیر|وقتتون بخیر|صبح بخیر|عصر بخیر|hi|hello|hey|good morning|"
            "good evening|good afternoon|salam"
        ),
    ),
)


def _compile(rules):
    compiled = []
    for intent, weight, *groups in rules:
        regex_groups = [[phrase_regex(p) for p in group.split("|") if p] for group in groups]
        compiled.append((intent, weight, regex_groups))
    return compiled


_COMPILED = _compile(_RULES)


@dataclass
class IntentResult:
    """The chosen intent, its confidence (0..1), every scored intent, and the entities."""

    intent: str
    score: float
    ranking: list = field(default_factory=list)  # [(intent, confidence)] best first
    entities: Entities = field(default_factory=Entities)

    @property
    def is_sensitive(self):
        return self.intent in SENSITIVE_INTENTS


def keyword_scores(text):
    """Return ``{intent: raw score}`` for the rules that match ``text`` (any string)."""
    norm = normalize_text(text)
    scores = {}
    if not norm:
        return scores
    for intent, weight, groups in _COMPILED:
        if all(any(r.search(norm) for r in group) for group in groups):
            scores[intent] = scores.get(intent, 0.0) + weight
    return scores


def _best(scores, intents):
    candidates = [
        (score, _PRIORITY[i], i)
        for i, score in scores.items()
        if i in intents and score >= MIN_SCORE
    ]
    return max(candidates)[2] if candidates else None


def arbitrate(scores, entities):
    """Pick the intent from raw keyword scores and entities (rules in the module docstring)."""
    sensitive = _best(scores, SENSITIVE_INTENTS)
    if sensitive:
        return sensitive
    if scores.pop(_EXISTING_ORDER, None) or entities.has_lookup_key:
        for intent in PRE_PURCHASE_INTENTS:
            scores.pop(intent, None)
    if entities.tracking_codes:
        # A code in hand answers "where is my tracking code?" by itself.
        scores.pop(WHERE_IS_TRACKING_CODE, None)
    if scores.get(PRE_PURCHASE_METHODS, 0) >= FULL_SCORE and not entities.city_ids:
        # "Do you ship with Tipax?" asks how, not where: without a city the methods answer it.
        for intent in (PRE_PURCHASE_COVERAGE, PRE_PURCHASE_COST, PRE_PURCHASE_TIME):
            if scores.get(intent, 0) <= scores[PRE_PURCHASE_METHODS]:
                scores.pop(intent, None)
    specific = [
        i for i in ALL_INTENTS
        if i not in TRACKING_INTENTS + SOCIAL_INTENTS + PRE_PURCHASE_INTENTS + (UNKNOWN,)
    ]  # fmt: skip
    strong = {i: s for i, s in scores.items() if s >= SPECIFIC_MIN}
    chosen = _best(strong, specific)
    if chosen:
        return chosen
    if entities.order_refs:
        return TRACK_ORDER
    if entities.tracking_codes:
        return TRACK_CODE
    if entities.mobiles:
        return TRACK_MOBILE
    others = [i for i in ALL_INTENTS if i not in SOCIAL_INTENTS + (UNKNOWN,)]
    chosen = _best(scores, others)
    if chosen:
        return chosen
    if entities.city_ids:
        # A bare city name: the likeliest question is "do you ship there?".
        return PRE_PURCHASE_COVERAGE
    return _best(scores, SOCIAL_INTENTS) or UNKNOWN


def classify(text, entities=None, extractor=None):
    """Classify ``text``; ``entities`` default to those an ``extractor`` (or a bare one) finds."""
    if entities is None:
        entities = (extractor or EntityExtractor()).extract(text)
    scores = keyword_scores(text)
    intent = arbitrate(dict(scores), entities)
    scores.pop(_EXISTING_ORDER, None)
    score = min(1.0, scores.get(intent, 0.0) / FULL_SCORE)
    if intent in TRACKING_INTENTS and entities.has_lookup_key:
        # A found ref, code or mobile is strong evidence, whatever the wording around it.
        score = max(score, ENTITY_SCORE)
    others = sorted(
        ((i, min(1.0, s / FULL_SCORE)) for i, s in scores.items() if i != intent),
        key=lambda item: (-item[1], -_PRIORITY[item[0]]),
    )
    ranking = ([(intent, score)] if intent != UNKNOWN else []) + others
    return IntentResult(intent=intent, score=score, ranking=ranking, entities=entities)
