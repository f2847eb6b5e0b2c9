# Minimal stand-in for CPython's `enum` module, for the RocketMQ code lab.
#
# MicroPython has no `enum` module, no metaclasses and no __init_subclass__,
# so a class body like
#
#     class SendStatus(IntEnum):
#         OK = 0
#
# cannot turn OK into a member by itself. Classes must be passed to
# `_seal(cls)` after their definition (the rocketmq package does this).
# A sealed IntEnum behaves like CPython 3.11+: members are ints
# (SendStatus.OK == 0, f"{SendStatus.OK}" == "0", str() == "0"), have
# .name and .value, repr() is "<SendStatus.OK: 0>", and SendStatus(0)
# gives an equal member (SendStatus(7) raises ValueError). What cannot be
# copied: iterating over the class (list(SendStatus)), `SendStatus(0) is
# SendStatus.OK` (equal, not identical), and learner-defined enums that are
# not sealed keep plain values.


def _members(cls):
    out = []
    for k in dir(cls):
        if k.startswith('_'):
            continue
        v = getattr(cls, k)
        if callable(v) or isinstance(v, property):
            continue
        out.append((k, v))
    return out


class IntEnum(int):
    def __init__(self, value):
        super().__init__(value)
        names = type(self).__dict__.get('_value2name')
        if names is not None and int(self) not in names:
            raise ValueError('%r is not a valid %s' % (value, type(self).__name__))

    @property
    def name(self):
        return type(self)._value2name[int(self)]

    @property
    def value(self):
        return int(self)

    def __repr__(self):
        return '<%s.%s: %d>' % (type(self).__name__, self.name, int(self))

    def __str__(self):
        return '%d' % int(self)

    def __format__(self, spec):
        return format(int(self), spec)


class Enum(object):
    def __init__(self, value):
        for k, m in type(self)._value2member.items():
            if k == value:
                self._name_ = m._name_
                self._value_ = m._value_
                return
        raise ValueError('%r is not a valid %s' % (value, type(self).__name__))

    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return self._value_

    def __eq__(self, other):
        return type(other) is type(self) and other._value_ == self._value_

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._value_)

    def __repr__(self):
        return '<%s.%s: %r>' % (type(self).__name__, self._name_, self._value_)

    def __str__(self):
        return '%s.%s' % (type(self).__name__, self._name_)


def _seal(cls):
    """Turn the plain class attributes of an Enum/IntEnum subclass into members."""
    members = _members(cls)
    if issubclass(cls, IntEnum):
        cls._value2name = {}
        for k, v in members:
            cls._value2name[int(v)] = k
        for k, v in members:
            setattr(cls, k, cls(int(v)))
    else:
        cls._value2member = {}
        for k, v in members:
            m = object.__new__(cls)
            m._name_ = k
            m._value_ = v
            setattr(cls, k, m)
            cls._value2member[v] = m
    return cls


def unique(cls):
    return cls
