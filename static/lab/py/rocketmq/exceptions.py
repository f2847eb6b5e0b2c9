# -*- coding: utf-8 -*-
# Exception classes and hierarchy as in rocketmq-client-python 2.x.
# `ffi_check` takes the simulator's response instead of a C status code:
# {"error": {"type": "ProducerSendSyncFailed", "message": "..."}} raises
# that class with the message.
from .ffi import _CStatus


_EXCEPTION_MAP = {}


def _register(status_code):
    def register(cls):
        _EXCEPTION_MAP[status_code] = cls
        return cls
    return register


def ffi_check(response):
    if response is None:
        return response
    err = response.get('error')
    if not err:
        return response
    exc_cls = globals().get(err.get('type') or '', None)
    if not (isinstance(exc_cls, type) and issubclass(exc_cls, RocketMQException)):
        exc_cls = RocketMQException
    msg = err.get('message')
    if exc_cls is ProducerSendAsyncFailed:
        raise exc_cls(msg, -1, '', 0, '')
    raise exc_cls(msg)


class RocketMQException(Exception):
    '''RocketMQ exception base class'''
    pass


@_register(_CStatus.NULL_POINTER)
class NullPointerException(RocketMQException):
    pass


@_register(_CStatus.MALLOC_FAILED)
class MallocFailed(RocketMQException):
    pass


class ProducerException(RocketMQException):
    pass


@_register(_CStatus.PRODUCER_START_FAILED)
class ProducerStartFailed(ProducerException):
    pass


@_register(_CStatus.PRODUCER_SEND_SYNC_FAILED)
class ProducerSendSyncFailed(ProducerException):
    pass


@_register(_CStatus.PRODUCER_SEND_ONEWAY_FAILED)
class ProducerSendOnewayFailed(ProducerException):
    pass


@_register(_CStatus.PRODUCER_SEND_ORDERLY_FAILED)
class ProducerSendOrderlyFailed(ProducerException):
    pass


class ProducerSendAsyncFailed(ProducerException):
    def __init__(self, msg, error, file, line, type):
        super(ProducerSendAsyncFailed, self).__init__(msg)
        self.error = error
        self.file = file
        self.line = line
        self.type = type


class ConsumerException(RocketMQException):
    pass


@_register(_CStatus.PUSH_CONSUMER_START_FAILED)
class PushConsumerStartFailed(ConsumerException):
    pass
