# RocketMQ code lab: `random` for the learner's program. MicroPython's own
# generator, seeded by the runtime from (seed, program index) so that a run
# repeats exactly; a few CPython functions MicroPython lacks are added.
import random as _r

seed = _r.seed
random = _r.random
getrandbits = _r.getrandbits
randint = _r.randint
randrange = _r.randrange
choice = _r.choice
uniform = _r.uniform


def shuffle(x):
    for i in range(len(x) - 1, 0, -1):
        j = randrange(i + 1)
        x[i], x[j] = x[j], x[i]


def sample(population, k):
    pool = list(population)
    if not 0 <= k <= len(pool):
        raise ValueError('Sample larger than population or is negative')
    out = []
    for i in range(k):
        j = randrange(len(pool))
        out.append(pool.pop(j))
    return out


def choices(population, weights=None, k=1):
    pop = list(population)
    if weights is None:
        return [choice(pop) for _ in range(k)]
    total = sum(weights)
    out = []
    for _ in range(k):
        x = random() * total
        acc = 0
        for p, w in zip(pop, weights):
            acc += w
            if x < acc:
                out.append(p)
                break
        else:
            out.append(pop[-1])
    return out
