//! A live progress line on standard error while a scan runs, only when that is a terminal:
//! piped output and CI logs stay clean.

use crate::sweep::Progress;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const WIDTH: usize = 30;

pub struct Display {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

pub fn start(progress: Arc<Progress>) -> Option<Display> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let (stop, mut stopped) = oneshot::channel();
    let task = tokio::spawn(async move {
        loop {
            draw(&progress);
            tokio::select! {
                _ = &mut stopped => break,
                () = tokio::time::sleep(Duration::from_millis(150)) => {}
            }
        }
        draw(&progress);
        eprintln!();
    });
    Some(Display { stop, task })
}

pub async fn finish(display: Option<Display>) {
    if let Some(display) = display {
        let _ = display.stop.send(());
        let _ = display.task.await;
    }
}

fn draw(progress: &Progress) {
    let done = progress.done.load(Ordering::Relaxed);
    let total = progress.total.load(Ordering::Relaxed).max(done);
    let filled = (done * WIDTH).checked_div(total).unwrap_or(0);
    let bar: String = "#".repeat(filled) + &".".repeat(WIDTH - filled.min(WIDTH));
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r[{bar}] {done}/{total} account-regions");
    let _ = err.flush();
}
