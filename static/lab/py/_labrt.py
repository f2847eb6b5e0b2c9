# RocketMQ code lab: the Python half of the runtime (the JS half is
# static/lab/runtime.mjs). It owns the line tracker `_L`, the virtual clock,
# the blocking request channel to the simulator (`_labjs.call`, synchronous:
# the worker blocks on Atomics.wait until the coordinator answers), the
# dispatch of callbacks the simulator asks for while a request is pending,
# and `main()`, which compiles and runs the learner's file.
# Protocol: static/lab/PROTOCOL.md.
import sys
import io
import gc
import json
import _labjs

# _L[0] is the line of the learner's file that is running: the instrumented
# code does `_L[0]=N;` at the start of every simple statement.
_L = [0]
_now = [0]          # virtual milliseconds since the simulation started
_stopped = [None]   # set by a {stop: ...} response; every later call exits
_handles = []       # clients in creation order: index = protocol handle
_local_exec = []    # pending send_message_in_transaction callbacks
_sources = {}       # file name -> list of lines, for tracebacks
_globals = [None]   # the program's globals, dropped after a memory stop
_LIB = '/lib/'


def now_ms():
    return _now[0]


def new_handle(client):
    _handles.append(client)
    return len(_handles) - 1


def push_local_execute(cb, user_args):
    _local_exec.append((cb, user_args))


def pop_local_execute():
    _local_exec.pop()


def _exit_for_stop():
    raise SystemExit()


def _hard_stop():
    # The program caught the SystemExit of a stop and made another call:
    # the JS side throws an exception that unwinds the whole interpreter
    # (Python cannot catch it).
    _labjs.hard_stop()


def _call(obj):
    return _labjs.call(json.dumps(obj))


def request(req):
    """Send one blocking request; run the callbacks the simulator asks for
    until the answer to this request arrives; return that answer (a dict).
    A {stop} answer raises SystemExit."""
    if _stopped[0] is not None:
        _hard_stop()
    req['line'] = _L[0]
    text = _call(req)
    while True:
        resp = json.loads(text)
        n = resp.get('now_ms')
        if n is not None:
            _now[0] = n
        cb = resp.get('callback')
        if cb is not None:
            text = _call(_run_callback(cb))
            continue
        if resp.get('stop') is not None:
            _stopped[0] = resp.get('message') or resp.get('stop')
            _exit_for_stop()
        return resp


_MESSAGE_FIXES = (
    ("isn't defined", 'is not defined'),
    ('divide by zero', 'division by zero'),
)


def _source_line(fname, lineno):
    lines = _sources.get(fname)
    if lines is None:
        try:
            with open(fname) as f:
                lines = f.read().split('\n')
        except Exception:
            lines = []
        _sources[fname] = lines
    if 0 < lineno <= len(lines):
        return lines[lineno - 1].strip()
    return ''


def format_exc(e):
    """CPython-like traceback text: our own frames removed, source lines
    added under each frame, a few MicroPython messages in CPython words."""
    buf = io.StringIO()
    sys.print_exception(e, buf)
    out = []
    for ln in buf.getvalue().split('\n'):
        if ln.startswith('  File "'):
            q = ln.find('"', 8)
            fname = ln[8:q]
            if fname == _LIB + '_labrt.py' or fname == '<stdin>':
                continue
            out.append(ln)
            p = ln.find(', line ', q)
            if p >= 0:
                num = ''
                for ch in ln[p + 7:]:
                    if '0' <= ch <= '9':
                        num += ch
                    else:
                        break
                if num:
                    src = _source_line(fname, int(num))
                    if src:
                        out.append('    ' + src)
            continue
        out.append(ln)
    text = '\n'.join(out)
    if isinstance(e, RuntimeError) and 'maximum recursion depth' in text:
        text = text.replace('RuntimeError: maximum recursion depth exceeded',
                            'RecursionError: maximum recursion depth exceeded')
    for a, b in _MESSAGE_FIXES:
        text = text.replace(a, b)
    return text


def _print_ignored(where, tb):
    sys.stderr.write('Exception ignored on calling ctypes callback function: <function %s>\n' % where)
    sys.stderr.write(tb)
    if not tb.endswith('\n'):
        sys.stderr.write('\n')


def _run_callback(cb):
    kind = cb.get('kind')
    msg = cb.get('msg') or {}
    saved = _L[0]
    tb = None
    result = None
    try:
        if kind == 'consume':
            client = _handles[cb.get('handle')]
            listener = client._lab_listener
            if listener is None:
                result = 'L'
            else:
                r = listener(client, msg)
                result = 'S' if r == 0 else 'L'
        elif kind == 'local_execute':
            func, user_args = _local_exec[-1]
            r = func(None, msg, user_args)
            result = 'CRU'[int(r)]
        elif kind == 'check':
            client = _handles[cb.get('handle')]
            r = client._lab_checker(client, msg, client._lab_checker_args)
            result = 'CRU'[int(r)]
        else:
            raise ValueError('unknown callback kind %r' % kind)
    except BaseException as e:
        if _stopped[0] is not None or isinstance(e, MemoryError):
            raise
        tb = format_exc(e)
        if kind == 'consume':
            result = 'T'
            where = 'PushConsumer.subscribe.<locals>._on_message'
        elif kind == 'local_execute':
            result = 'U'
            where = 'TransactionMQProducer.send_message_in_transaction.<locals>._on_local_execute'
        else:
            result = 'U'
            where = 'TransactionMQProducer.__init__.<locals>._on_check'
        _print_ignored(where, tb)
    line = _L[0]
    _L[0] = saved
    done = {'op': 'callback_done', 'line': line, 'result': result}
    if tb is not None:
        done['traceback'] = tb
    return done


def _install_shims(seed):
    import _labtime
    import _labrandom
    _labrandom.seed(seed)
    sys.modules['time'] = _labtime
    sys.modules['random'] = _labrandom


def _finish(res):
    _labjs.finish(json.dumps(res))


def main():
    name = _labjs.name
    code = _labjs.code
    icode = _labjs.icode
    _now[0] = int(_labjs.now_ms)
    _sources[name] = code.split('\n')
    try:
        co = compile(code, name, 'exec')
    except SyntaxError as e:
        _finish({'ok': False, 'kind': 'syntax', 'type': type(e).__name__,
                 'message': str(e.args[0]) if e.args else 'invalid syntax',
                 'traceback': format_exc(e)})
        return
    instrumented = False
    if icode:
        try:
            co = compile(icode, name, 'exec')
            instrumented = True
        except SyntaxError:
            pass
    del code, icode
    gc.collect()
    _install_shims(int(_labjs.seed))
    g = {'__name__': '__main__', '__file__': name, '_L': _L}
    _globals[0] = g
    res = {'ok': True, 'instrumented': instrumented}
    try:
        exec(co, g)
    except SystemExit as e:
        if _stopped[0] is not None:
            res['stopped'] = True
            res['reason'] = _stopped[0]
        else:
            c = e.args[0] if e.args else None
            if c is None:
                res['exit_code'] = 0
            elif isinstance(c, int):
                res['exit_code'] = c
            else:
                sys.stderr.write(str(c) + '\n')
                res['exit_code'] = 1
    except MemoryError as e:
        g.clear()
        g = None
        co = None
        gc.collect()
        res = {'ok': False, 'kind': 'memory', 'type': 'MemoryError',
               'message': str(e), 'traceback': format_exc(e)}
    except BaseException as e:
        tb = format_exc(e)
        last = tb.rstrip('\n').split('\n')[-1]
        # after a {stop}, an exception (not the SystemExit we raised) means
        # the program did not end cleanly when the simulator stopped it
        kind = 'stopped' if _stopped[0] is not None else 'runtime'
        res = {'ok': False, 'kind': kind, 'type': type(e).__name__,
               'message': last, 'traceback': tb}
    if _stopped[0] is not None and res.get('ok'):
        res['stopped'] = True
        res['reason'] = _stopped[0]
    res['line_now'] = _L[0]
    _finish(res)


def after_memory_error():
    """Called by runtime.mjs after it unwound the interpreter because wasm
    memory hit the lab's limit: free the program's objects, return the line."""
    g = _globals[0]
    _globals[0] = None
    if g is not None:
        g.clear()
    _handles.clear()
    _local_exec.clear()
    gc.collect()
    return _L[0]
