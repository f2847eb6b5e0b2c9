//! Program-driven clients: the code lab's "asks" and "answers".
//!
//! A producer or consumer with `"program": "consumer.py"` takes no decision
//! from the scenario: every listener call (`Consume`), every
//! `local_execute` (`LocalExecute`) and every `checker_callback` (`Check`)
//! becomes an [`Ask`] with a global index k (0, 1, 2, … across the run), and
//! its outcome is the k-th letter of the run's answers (the scenario's
//! `answers`, extended live by [`crate::Sim::push_answer`]).
//!
//! The question is raised at one event and read at a later one (a timer, even
//! of 0 ms), so a live coordinator can run the learner's Python between the
//! two. An answer that is absent when needed, or of the wrong kind, counts as
//! missing and the default applies (CONSUME_SUCCESS, UNKNOW).

use crate::scenario::ScenarioError;
use serde::Serialize;

/// The longest answer string a scenario may carry.
pub const MAX_ANSWERS: usize = 1_000_000;
/// Asks kept for [`crate::Sim::take_asks`] at most; older ones are dropped when nobody takes them.
pub const MAX_PENDING_ASKS: usize = 100_000;

/// One answer, written as one letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Answer {
    /// `S`: CONSUME_SUCCESS.
    Success,
    /// `L`: RECONSUME_LATER.
    Later,
    /// `T`: the listener raised an exception (counts as RECONSUME_LATER).
    Raise,
    /// `C`: COMMIT_MESSAGE.
    Commit,
    /// `R`: ROLLBACK_MESSAGE.
    Rollback,
    /// `U`: UNKNOW.
    Unknown,
}

impl Answer {
    /// The answer a letter stands for (`S`, `L`, `T`, `C`, `R`, `U`).
    pub fn from_letter(c: char) -> Option<Answer> {
        Some(match c {
            'S' => Answer::Success,
            'L' => Answer::Later,
            'T' => Answer::Raise,
            'C' => Answer::Commit,
            'R' => Answer::Rollback,
            'U' => Answer::Unknown,
            _ => return None,
        })
    }

    /// The answer's letter.
    pub fn letter(self) -> char {
        match self {
            Answer::Success => 'S',
            Answer::Later => 'L',
            Answer::Raise => 'T',
            Answer::Commit => 'C',
            Answer::Rollback => 'R',
            Answer::Unknown => 'U',
        }
    }

    /// Whether this answer can answer an ask of `kind`.
    pub fn fits(self, kind: AskKind) -> bool {
        matches!(self, Answer::Success | Answer::Later | Answer::Raise) == (kind == AskKind::Consume)
    }
}

/// Checks an answer string; the error names `field` and the first bad position.
pub fn check_answers(field: &str, s: &str) -> Result<(), ScenarioError> {
    if s.len() > MAX_ANSWERS {
        return Err(ScenarioError::new(field, format!("{} letters; at most {MAX_ANSWERS} are allowed", s.len())));
    }
    match s.chars().enumerate().find(|(_, c)| Answer::from_letter(*c).is_none()) {
        Some((i, c)) => Err(ScenarioError::new(
            field,
            format!("letter {c:?} at position {i} is not one of S, L, T (consume) or C, R, U (transaction)"),
        )),
        None => Ok(()),
    }
}

/// What a program is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AskKind {
    /// The consumer's listener gets a message (answer S, L or T).
    Consume,
    /// `local_execute` after the half message's SEND_OK (answer C, R or U).
    LocalExecute,
    /// `checker_callback` when the broker checks a half message (answer C, R or U).
    Check,
}

/// The message a program sees: the fields of Python's `ReceivedMessage`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AskedMsg {
    /// The original topic (also for retries).
    pub topic: String,
    pub tags: String,
    pub keys: String,
    pub body: String,
    /// UNIQ_KEY: 32 upper-case hex characters, as the trace writes `msg_id`.
    pub id: String,
    pub properties: Vec<(String, String)>,
    pub queue_id: u32,
    pub queue_offset: u64,
    pub reconsume_times: u32,
    pub born_timestamp: u64,
    pub store_timestamp: u64,
    pub commit_log_offset: u64,
    pub delay_time_level: u32,
    pub store_size: u32,
    pub prepared_transaction_offset: u64,
    /// For consume asks: the subscription's topic (the retry topic's original topic).
    pub sub: String,
    /// The trace's `msg`.
    pub sim_msg: u64,
}

/// A question to a learner's program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ask {
    /// Global ask index: answered by the answers' letter at this position.
    pub index: u64,
    pub kind: AskKind,
    /// The client's node id.
    pub client: String,
    /// The program's file name.
    pub program: String,
    /// Virtual time of the question (ms).
    pub t: u64,
    pub msg: AskedMsg,
}

/// Whether asks carry their question ([`crate::sim::Sim::take_asks`]): the
/// `asks` feature, on for the code lab (which asks the learner's programs),
/// off for the app, which only replays recorded answers and so leaves the
/// code that builds questions out of its wasm.
pub const RECORDING: bool = cfg!(feature = "asks");

/// The run's asks and answers (kept in the kernel's [`crate::sim::Core`]).
#[derive(Clone, Debug, Default)]
pub struct Lab {
    answers: Vec<u8>,
    pending: std::collections::VecDeque<Ask>,
    next: u64,
    pub used: u64,
    pub missing: u64,
}

impl Lab {
    pub fn new(answers: &str) -> Lab {
        Lab { answers: answers.as_bytes().to_vec(), ..Lab::default() }
    }

    /// Raises an ask and returns its index. `msg` is None when the engine
    /// was built without the `asks` feature ([`RECORDING`]): a replay (the
    /// app) only needs the index, to read the recorded answer.
    pub fn ask(&mut self, kind: AskKind, client: &str, program: &str, t: u64, msg: Option<AskedMsg>) -> u64 {
        let index = self.next;
        self.next += 1;
        if let Some(msg) = msg {
            if self.pending.len() >= MAX_PENDING_ASKS {
                self.pending.pop_front();
            }
            self.pending.push_back(Ask { index, kind, client: client.into(), program: program.into(), t, msg });
        }
        index
    }

    /// The answer to ask `index`, or None (counted as missing) when it is absent or of the wrong kind.
    pub fn answer(&mut self, index: u64, kind: AskKind) -> Option<Answer> {
        let a = usize::try_from(index)
            .ok()
            .and_then(|i| self.answers.get(i))
            .and_then(|b| Answer::from_letter(*b as char))
            .filter(|a| a.fits(kind));
        if a.is_some() {
            self.used += 1;
        } else {
            self.missing += 1;
        }
        a
    }

    pub fn push(&mut self, a: Answer) {
        self.answers.push(a.letter() as u8);
    }

    pub fn take(&mut self) -> Vec<Ask> {
        self.pending.drain(..).collect()
    }

    /// How many asks were raised.
    pub fn asked(&self) -> u64 {
        self.next
    }
}

/// The properties a program sees: the user's, then KEYS, TAGS and UNIQ_KEY as RocketMQ sets them.
pub fn properties(
    user: &[(std::rc::Rc<str>, std::rc::Rc<str>)],
    keys: &str,
    tags: &str,
    id: &str,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = user.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    for (k, v) in [("KEYS", keys), ("TAGS", tags)] {
        if !v.is_empty() {
            out.push((k.into(), v.into()));
        }
    }
    out.push(("UNIQ_KEY".into(), id.into()));
    out
}
