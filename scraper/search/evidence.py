"""Reading a pasted text for a code: the code's evidence, and the message segments around it (resolver.js: findCode, segments)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# "code=-1013", "'code': -1121", "[code] => -1022", "errorCode: -1021", "Code - 2013", "['code']=> int(-1013)".
# Not "httpCode" or "statusCode": a letter before "code" makes it another word.
CODE_CONTEXT_RE = re.compile(
    r"(?<![a-z0-9])(?:error_?|err_?|api_?)?code(?![a-z0-9])"
    r"[ '\])]*(?:=>|[:=])? ?(?:int\()?(- ?)?([0-9]{1,6})(?![0-9]|\.[0-9])"
)
# Chinese logs name a code with words upstream's Chinese page uses (错误码 "error code") or that
# clients print (报错 "reports an error", 提示 "says"): "提示1021", "错误码：-2010", "4061报错".
CJK_CODE_BEFORE_RE = re.compile(r"(?:错误码|错误代码|错误|报错|提示|返回码|返回|代码)[ :]*(- ?)?([0-9]{4,5})(?![0-9]|\.[0-9])")
CJK_CODE_AFTER_RE = re.compile(r"(?<![a-z0-9_.\-/])(- ?)?([0-9]{4,5}) ?(?=错误|报错)")
# A negative number on its own: "(-1000)", "ERROR: -1013,", "(400, -1125, …)".  Not "2018-09-28" (a digit
# before), not "x-1013" (a letter before), not "-1013.5" (a decimal), not a 13-digit epoch.
SIGNED_RE = re.compile(r"(?<![a-z0-9_.\-/])-([0-9]{4,5})(?![0-9]|\.[0-9])")
ONLY_NUMBER_RE = re.compile(r"^(- ?)?([0-9]{1,6})[.!]?$")
# Where a client prints the message field: "msg":"…", 'msg': '…', msg=…, [msg] => …, Message: …
MESSAGE_FIELD_RE = re.compile(r"(?<![a-z0-9_])(?:msg|message|error_?message)'?\]? ?(?:=>|[:=]) ?(.+)$")
FIELD_END_RE = re.compile(r"' ?[,}\]]")
LEADING_NOISE_RE = re.compile(r"^[ :,)\]'=>\-]+")


@dataclass(frozen=True)
class CodeEvidence:
    value: int
    known: bool
    end: int  # where the number ends in the text: the message usually follows it


def _code_evidence(index: dict, sign: str | None, digits: str, end: int) -> CodeEvidence | None:
    number = int(digits)
    if not sign and 100 <= number <= 599:
        return None  # an HTTP status ("binance 429", "[_httpcode] => 400"), never an API code
    value = -number if sign else number
    if str(value) in index["codes"]:
        return CodeEvidence(value, True, end)
    if value > 0 and str(-value) in index["codes"]:
        return CodeEvidence(-value, True, end)  # "code=2010": the minus got lost
    return CodeEvidence(value, False, end)


def find_code(index: dict, text: str) -> CodeEvidence | None:
    """The strongest code evidence: classes in order, a known code first within a class."""
    contextual = [
        _code_evidence(index, m.group(1), m.group(2), m.end())
        for pattern in (CODE_CONTEXT_RE, CJK_CODE_BEFORE_RE, CJK_CODE_AFTER_RE)
        for m in pattern.finditer(text)
    ]
    signed = [_code_evidence(index, "-", m.group(1), m.end()) for m in SIGNED_RE.finditer(text)]
    only = ONLY_NUMBER_RE.match(text)
    alone = [_code_evidence(index, only.group(1), only.group(2), only.end())] if only else []
    for group in (contextual, signed, alone):
        found = [evidence for evidence in group if evidence is not None]
        if found:
            return next((evidence for evidence in found if evidence.known), found[0])
    return None


def segments(text: str, code: CodeEvidence | None) -> list[str]:
    """The whole text, and the parts a client wrapper marks as the message (a msg field, what follows the code)."""
    found = [text]
    field = MESSAGE_FIELD_RE.search(text)
    if field:
        found.append(field.group(1))
    if code is not None:
        found.append(text[code.end :])
    result: list[str] = []
    for segment in found:
        segment = LEADING_NOISE_RE.sub("", segment)
        end = FIELD_END_RE.search(segment, 1)
        if end:
            segment = segment[: end.start()]
        if segment and segment not in result:
            result.append(segment)
    return result
