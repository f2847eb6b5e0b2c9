# RocketMQ code lab: `time` for the learner's program, on the simulator's
# virtual clock. runtime installs it as sys.modules['time'] before the program
# runs. time.time() = 1767225600 (2026-01-01T00:00:00Z) + virtual seconds;
# sleep() is a blocking request to the simulator. Local time is UTC.
import time as _mp_time
from collections import namedtuple
import _labrt

EPOCH = 1767225600

struct_time = namedtuple('struct_time', ['tm_year', 'tm_mon', 'tm_mday', 'tm_hour', 'tm_min',
                                         'tm_sec', 'tm_wday', 'tm_yday', 'tm_isdst'])
timezone = 0
altzone = 0
daylight = 0
tzname = ('UTC', 'UTC')


def _check_number(x):
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(x).__name__)


def time():
    return EPOCH + _labrt.now_ms() / 1000


def time_ns():
    return (EPOCH * 1000 + _labrt.now_ms()) * 1000000


def monotonic():
    return _labrt.now_ms() / 1000


def monotonic_ns():
    return _labrt.now_ms() * 1000000


perf_counter = monotonic
perf_counter_ns = monotonic_ns


def process_time():
    return 0.0


def sleep(secs):
    _check_number(secs)
    if secs < 0:
        raise ValueError('sleep length must be non-negative')
    _labrt.request({'op': 'sleep', 'ms': int(round(secs * 1000))})


def sleep_ms(ms):
    sleep(ms / 1000)


def sleep_us(us):
    sleep(us / 1000000)


def ticks_ms():
    return _labrt.now_ms() & 0x3FFFFFFF


def ticks_us():
    return (_labrt.now_ms() * 1000) & 0x3FFFFFFF


ticks_cpu = ticks_us


def ticks_add(t, delta):
    return (t + delta) & 0x3FFFFFFF


def ticks_diff(a, b):
    d = (a - b) & 0x3FFFFFFF
    if d >= 0x20000000:
        d -= 0x40000000
    return d


def _struct(secs):
    if secs is None:
        secs = time()
    t = _mp_time.gmtime(int(secs))
    return struct_time(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], 0)


def gmtime(secs=None):
    return _struct(secs)


def localtime(secs=None):
    return _struct(secs)


def mktime(t):
    return float(_mp_time.mktime(tuple(t[:8])))


_DAYS = ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')
_MONTHS = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')


def asctime(t=None):
    if t is None:
        t = localtime()
    return '%s %s %2d %02d:%02d:%02d %d' % (_DAYS[t[6]], _MONTHS[t[1] - 1], t[2], t[3], t[4], t[5], t[0])


def ctime(secs=None):
    return asctime(localtime(secs))


def strftime(format, t=None):
    if t is None:
        t = localtime()
    return _mp_time.strftime(format, tuple(t[:8]))
