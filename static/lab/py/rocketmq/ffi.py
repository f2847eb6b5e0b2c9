# -*- coding: utf-8 -*-
# RocketMQ code lab: the real module loads librocketmq with ctypes and
# declares its C signatures. Here only the enums and names other modules
# import are kept; `dll` is None because the simulator answers instead.
from enum import IntEnum, _seal

dll = None


class ArgumentError(Exception):
    """What ctypes raises when a C argument has the wrong type (ctypes.ArgumentError)."""
    pass


class CtypesEnum(IntEnum):
    """A ctypes-compatible IntEnum superclass."""

    @classmethod
    def from_param(cls, obj):
        return int(obj)


class _CStatus(CtypesEnum):
    OK = 0
    NULL_POINTER = 1
    MALLOC_FAILED = 2
    # producer
    PRODUCER_START_FAILED = 10
    PRODUCER_SEND_SYNC_FAILED = 11
    PRODUCER_SEND_ONEWAY_FAILED = 12
    PRODUCER_SEND_ORDERLY_FAILED = 13
    PRODUCER_SEND_ASYNC_FAILED = 14
    # push consumer
    PUSH_CONSUMER_START_FAILED = 20

    NOT_SUPPORT_NOW = -1


class _CLogLevel(CtypesEnum):
    FATAL = 1
    ERROR = 2
    WARN = 3
    INFO = 4
    DEBUG = 5
    TRACE = 6
    LEVEL_NUM = 7


class MessageModel(CtypesEnum):
    BROADCASTING = 0
    CLUSTERING = 1


class TraceModel(CtypesEnum):
    OPEN = 0
    CLOSE = 1


for _c in (_CStatus, _CLogLevel, MessageModel, TraceModel):
    _seal(_c)
del _c


def _callback_type(func):
    # ctypes.CFUNCTYPE(...)(func) in the real module; a plain function here.
    return func


QUEUE_SELECTOR_CALLBACK = _callback_type
SEND_SUCCESS_CALLBACK = _callback_type
SEND_EXCEPTION_CALLBACK = _callback_type
MSG_CALLBACK_FUNC = _callback_type
TRANSACTION_CHECK_CALLBACK = _callback_type
LOCAL_TRANSACTION_EXECUTE_CALLBACK = _callback_type
