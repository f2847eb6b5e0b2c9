# -*- coding: utf-8 -*-
# RocketMQ code lab: rocketmq-client-python 2.x `rocketmq.client`, same public
# names, signatures and Python-side checks as apache/rocketmq-client-python.
# Where the real module calls librocketmq (dll.*), this one records the
# setting on the object or asks the simulator (`_labrt.request`), which
# blocks this program until the simulated cluster answers.
# Faithful quirks kept on purpose:
# * no send_async / send_orderly / send_oneway_orderly (removed before 2.0):
#   calling them raises AttributeError like the real class;
# * __enter__ returns None, so `with Producer('g') as p:` binds p to None;
# * one listener per PushConsumer, as in the C++ client: every subscribe()
#   registers its callback as THE listener, so the last one receives the
#   messages of all subscribed topics;
# * Message setters pass strings as c_char_p: cut at the first NUL byte;
# * ReceivedMessage.tags/keys/body/get_property() return bytes.
import sys
from collections import namedtuple

from enum import IntEnum, _seal

from .ffi import (
    dll, MSG_CALLBACK_FUNC, MessageModel, TRANSACTION_CHECK_CALLBACK,
    LOCAL_TRANSACTION_EXECUTE_CALLBACK, TraceModel, ArgumentError
)
from .exceptions import (
    ffi_check, NullPointerException,
)
from .consts import MessageProperty

import _labrt

__all__ = ['SendStatus', 'Message', 'ReceivedMessage', 'Producer', 'PushConsumer', 'TransactionMQProducer',
           'TransactionStatus', 'ConsumeStatus']

PY2 = False
text_type = str
binary_type = bytes

SendResult = namedtuple('SendResult', ['status', 'msg_id', 'offset'])


class SendStatus(IntEnum):
    OK = 0
    FLUSH_DISK_TIMEOUT = 1
    FLUSH_SLAVE_TIMEOUT = 2
    SLAVE_NOT_AVAILABLE = 3


class TransactionStatus(IntEnum):
    COMMIT = 0
    ROLLBACK = 1
    UNKNOWN = 2


class ConsumeStatus(IntEnum):
    CONSUME_SUCCESS = 0
    RECONSUME_LATER = 1


_seal(SendStatus)
_seal(TransactionStatus)
_seal(ConsumeStatus)


def _to_bytes(s):
    if isinstance(s, text_type):
        return s.encode('utf-8')
    return s


def _c_str(value, argno):
    """What a c_char_p argument becomes on the C side: bytes up to the first NUL."""
    b = _to_bytes(value)
    if not isinstance(b, (bytes, bytearray)):
        raise ArgumentError('argument %d: TypeError: wrong type' % argno)
    b = bytes(b)
    i = b.find(b'\x00')
    if i >= 0:
        b = b[:i]
    return b


def _c_int(value, argno):
    if not isinstance(value, int):
        raise ArgumentError('argument %d: TypeError: wrong type' % argno)
    return int(value)


def _text(b):
    """bytes -> str for the JSON wire (lossless for UTF-8, byte-per-char otherwise)."""
    try:
        return b.decode('utf-8')
    except Exception:
        return ''.join([chr(c) for c in b])


class Message(object):
    def __init__(self, topic):
        self._topic = _c_str(topic, 1)
        self._tags = b''
        self._keys = b''
        self._body = b''
        self._properties = []
        self._delay_time_level = 0

    def set_keys(self, keys):
        self._keys = _c_str(keys, 2)

    def set_tags(self, tags):
        self._tags = _c_str(tags, 2)

    def set_body(self, body):
        self._body = _c_str(body, 2)

    def set_property(self, key, value):
        k = _c_str(key, 2)
        v = _c_str(value, 3)
        props = [p for p in self._properties if p[0] != k]
        props.append((k, v))
        self._properties = props

    def set_delay_time_level(self, delay_time_level):
        self._delay_time_level = _c_int(delay_time_level, 2)

    @property
    def _as_parameter_(self):
        return {
            'topic': _text(self._topic),
            'tags': _text(self._tags),
            'keys': _text(self._keys),
            'body': _text(self._body),
            'properties': [[_text(k), _text(v)] for k, v in self._properties],
            'delay_level': self._delay_time_level,
        }


def maybe_decode(val):
    if isinstance(val, binary_type):
        return val.decode('utf-8')
    elif isinstance(val, text_type):
        return val
    raise TypeError('Expects string types, but got %s', type(val))


def _wire_bytes(s):
    if s is None:
        return b''
    return s.encode('utf-8')


class ReceivedMessage(object):
    def __init__(self, handle):
        # handle: the message dict of the simulator's callback request
        self._handle = handle

    def _get(self, key, default=0):
        v = self._handle.get(key)
        return default if v is None else v

    @property
    def topic(self):
        return maybe_decode(self._get('topic', ''))

    @property
    def tags(self):
        return _wire_bytes(self._handle.get('tags'))

    @property
    def keys(self):
        return _wire_bytes(self._handle.get('keys'))

    @property
    def body(self):
        return _wire_bytes(self._handle.get('body'))

    @property
    def id(self):
        return maybe_decode(self._get('id', ''))

    @property
    def delay_time_level(self):
        return self._get('delay_time_level')

    @property
    def queue_id(self):
        return self._get('queue_id')

    @property
    def reconsume_times(self):
        return self._get('reconsume_times')

    @property
    def store_size(self):
        return self._get('store_size')

    @property
    def born_timestamp(self):
        return self._get('born_timestamp')

    @property
    def store_timestamp(self):
        return self._get('store_timestamp')

    @property
    def queue_offset(self):
        return self._get('queue_offset')

    @property
    def commit_log_offset(self):
        return self._get('commit_log_offset')

    @property
    def prepared_transaction_offset(self):
        return self._get('prepared_transaction_offset')

    def get_property(self, prop):
        if isinstance(prop, MessageProperty):
            prop = prop.value
        key = _text(_c_str(prop, 2))
        for kv in self._handle.get('properties') or ():
            if kv[0] == key:
                return _wire_bytes(kv[1])
        # the C++ client returns an empty std::string for a missing property
        return b''

    def __getitem__(self, key):
        return self.get_property(key)

    def __str__(self):
        return self.body.decode('utf-8')

    def __bytes__(self):
        return self.body

    def __repr__(self):
        return '<ReceivedMessage topic={} id={} body={}>'.format(
            repr(self.topic),
            repr(self.id),
            repr(self.body),
        )


class _Client(object):
    """Configuration the C++ client object would hold, sent with start()."""

    def _lab_init(self, kind, group_id, orderly):
        self._lab = {
            'type': kind,
            'group': _text(_c_str(group_id, 1)),
            'namesrv': None,
            'namesrv_domain': None,
            'orderly': bool(orderly),
            'model': 'CLUSTERING',
            'threads': None,
            'timeout_ms': None,
            'compress_level': 5,
            'max_message_size': 4 * 1024 * 1024,
            'batch_max_size': None,
            'instance_name': 'DEFAULT',
            'trace': False,
            'credentials': None,
            'subscriptions': [],
        }
        self._lab_handle = _labrt.new_handle(self)

    def _lab_set(self, key, value):
        self._lab[key] = value

    def _lab_request(self, req):
        req['handle'] = self._lab_handle
        return _labrt.request(req)

    def _lab_start(self):
        return self._lab_request({'op': 'start', 'client': dict(self._lab)})

    def _lab_shutdown(self):
        return self._lab_request({'op': 'shutdown'})

    def _lab_send(self, msg, mode, sharding_key=None):
        if not isinstance(msg, Message):
            raise ArgumentError('argument 2: TypeError: Don\'t know how to convert parameter 2')
        req = {'op': 'send', 'mode': mode, 'msg': msg._as_parameter_}
        if sharding_key is not None:
            req['sharding_key'] = sharding_key
        return ffi_check(self._lab_request(req))


def _send_result(resp):
    r = resp.get('result') or {}
    status = r.get('status', 'SEND_OK')
    if isinstance(status, str):
        status = {'SEND_OK': 0, 'FLUSH_DISK_TIMEOUT': 1, 'FLUSH_SLAVE_TIMEOUT': 2,
                  'SLAVE_NOT_AVAILABLE': 3}.get(status, 0)
    return SendResult(
        SendStatus(status),
        r.get('msg_id', ''),
        r.get('offset', 0)
    )


class Producer(_Client):
    def __init__(self, group_id, orderly=False, timeout=None, compress_level=None, max_message_size=None):
        self._lab_init('producer', group_id, orderly)
        if timeout is not None:
            self.set_timeout(timeout)
        if compress_level is not None:
            self.set_compress_level(compress_level)
        if max_message_size is not None:
            self.set_max_message_size(max_message_size)
        self._callback_refs = []

    def __enter__(self):
        self.start()

    def __exit__(self, exec_type, value, traceback):
        self.shutdown()

    def send_sync(self, msg):
        return _send_result(self._lab_send(msg, 'sync'))

    def send_oneway(self, msg):
        self._lab_send(msg, 'oneway')

    def send_orderly_with_sharding_key(self, msg, sharding_key):
        key = _text(_c_str(sharding_key, 3))
        return _send_result(self._lab_send(msg, 'orderly', key))

    def set_group(self, group_name):
        self._lab_set('group', _text(_c_str(group_name, 2)))

    def set_instance_name(self, name):
        self._lab_set('instance_name', _text(_c_str(name, 2)))

    def set_name_server_address(self, addr):
        self._lab_set('namesrv', _text(_c_str(addr, 2)))

    def set_name_server_domain(self, domain):
        self._lab_set('namesrv_domain', _text(_c_str(domain, 2)))

    def set_session_credentials(self, access_key, access_secret, channel):
        self._lab_set('credentials', [_text(_c_str(access_key, 2)), _text(_c_str(access_secret, 3)),
                                      _text(_c_str(channel, 4))])

    def set_timeout(self, timeout):
        self._lab_set('timeout_ms', _c_int(timeout, 2))

    def set_compress_level(self, level):
        self._lab_set('compress_level', _c_int(level, 2))

    def set_max_message_size(self, max_size):
        self._lab_set('max_message_size', _c_int(max_size, 2))

    def set_message_trace(self, message_trace):
        self._lab_set('trace', (message_trace and TraceModel.OPEN or TraceModel.CLOSE) == TraceModel.OPEN)

    def start(self):
        ffi_check(self._lab_start())

    def shutdown(self):
        ffi_check(self._lab_shutdown())


class TransactionMQProducer(Producer):
    def __init__(self, group_id, checker_callback, user_args=None, timeout=None, compress_level=None,
                 max_message_size=None):
        # The real constructor first calls Producer.__init__ with shifted
        # arguments and leaks that handle; the simulator only has one client.
        self._lab_init('transaction_producer', group_id, False)
        self._callback_refs = []

        def _on_check(producer, c_message, user_data):
            exc = None
            try:
                py_message = ReceivedMessage(c_message)
                check_result = checker_callback(py_message)
                if check_result != TransactionStatus.UNKNOWN and check_result != TransactionStatus.COMMIT \
                        and check_result != TransactionStatus.ROLLBACK:
                    raise ValueError(
                        'Check transaction status error, please use enum \'TransactionStatus\' as response')
                return check_result
            except BaseException as e:
                exc = e
                return TransactionStatus.UNKNOWN
            finally:
                if exc:
                    raise exc

        transaction_checker_callback = TRANSACTION_CHECK_CALLBACK(_on_check)
        self._callback_refs.append(transaction_checker_callback)
        self._lab_checker = transaction_checker_callback
        self._lab_checker_args = user_args
        if timeout is not None:
            self.set_timeout(timeout)
        if compress_level is not None:
            self.set_compress_level(compress_level)
        if max_message_size is not None:
            self.set_max_message_size(max_message_size)

    def __enter__(self):
        self.start()

    def __exit__(self, exec_type, value, traceback):
        self.shutdown()

    def set_name_server_address(self, addr):
        self._lab_set('namesrv', _text(_c_str(addr, 2)))

    def set_message_trace(self, message_trace):
        self._lab_set('trace', (message_trace and TraceModel.OPEN or TraceModel.CLOSE) == TraceModel.OPEN)

    def start(self):
        ffi_check(self._lab_start())

    def send_message_in_transaction(self, message, local_execute, user_args=None):

        def _on_local_execute(producer, c_message, usr_args):
            exc = None
            try:
                py_message = ReceivedMessage(c_message)
                local_result = local_execute(py_message, usr_args)
                if local_result != TransactionStatus.UNKNOWN and local_result != TransactionStatus.COMMIT \
                        and local_result != TransactionStatus.ROLLBACK:
                    raise ValueError(
                        'Local transaction status error, please use enum \'TransactionStatus\' as response')
                return local_result
            except BaseException as e:
                exc = e
                return TransactionStatus.UNKNOWN
            finally:
                if exc:
                    raise exc

        local_execute_callback = LOCAL_TRANSACTION_EXECUTE_CALLBACK(_on_local_execute)
        self._callback_refs.append(local_execute_callback)
        _labrt.push_local_execute(local_execute_callback, user_args)
        try:
            resp = self._lab_send(message, 'transaction')
        finally:
            _labrt.pop_local_execute()
            self._callback_refs.remove(local_execute_callback)

        return _send_result(resp)


class PushConsumer(_Client):
    def __init__(self, group_id, orderly=False, message_model=MessageModel.CLUSTERING):
        self._lab_init('push_consumer', group_id, orderly)
        self._orderly = orderly
        self._lab_listener = None
        self.set_message_model(message_model)
        self._callback_refs = []

    def __enter__(self):
        self.start()

    def __exit__(self, exec_type, value, traceback):
        self.shutdown()

    def set_message_model(self, model):
        model = _c_int(model, 2)
        self._lab_set('model', 'BROADCASTING' if model == MessageModel.BROADCASTING else 'CLUSTERING')

    def start(self):
        ffi_check(self._lab_start())

    def shutdown(self):
        ffi_check(self._lab_shutdown())

    def set_group(self, group_id):
        self._lab_set('group', _text(_c_str(group_id, 2)))

    def set_name_server_address(self, addr):
        self._lab_set('namesrv', _text(_c_str(addr, 2)))

    def set_name_server_domain(self, domain):
        self._lab_set('namesrv_domain', _text(_c_str(domain, 2)))

    def set_session_credentials(self, access_key, access_secret, channel):
        self._lab_set('credentials', [_text(_c_str(access_key, 2)), _text(_c_str(access_secret, 3)),
                                      _text(_c_str(channel, 4))])

    def subscribe(self, topic, callback, expression='*'):
        def _on_message(consumer, msg):
            exc = None
            try:
                consume_result = callback(ReceivedMessage(msg))
                if consume_result != ConsumeStatus.CONSUME_SUCCESS and consume_result != ConsumeStatus.RECONSUME_LATER:
                    raise ValueError('Consume status error, please use enum \'ConsumeStatus\' as response')
                return consume_result
            except BaseException as e:
                exc = e
                return ConsumeStatus.RECONSUME_LATER
            finally:
                if exc:
                    raise exc

        t = _text(_c_str(topic, 2))
        e = _text(_c_str(expression, 3))
        subs = [s for s in self._lab['subscriptions'] if s['topic'] != t]
        subs.append({'topic': t, 'expression': e})
        self._lab['subscriptions'] = subs
        self._register_callback(_on_message)

    def _register_callback(self, callback):
        func = MSG_CALLBACK_FUNC(callback)
        self._callback_refs.append(func)
        # the C++ consumer keeps one listener: the last registered wins
        self._lab_listener = func

    def _unregister_callback(self):
        self._lab_listener = None
        self._callback_refs = []

    def set_thread_count(self, thread_count):
        if _c_int(thread_count, 2) == 0:
            raise NullPointerException(None)
        self._lab_set('threads', int(thread_count))

    def set_message_batch_max_size(self, max_size):
        if _c_int(max_size, 2) == 0:
            raise NullPointerException(None)
        self._lab_set('batch_max_size', int(max_size))

    def set_instance_name(self, name):
        self._lab_set('instance_name', _text(_c_str(name, 2)))

    def set_message_trace(self, message_trace):
        self._lab_set('trace', (message_trace and TraceModel.OPEN or TraceModel.CLOSE) == TraceModel.OPEN)
