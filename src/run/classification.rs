//! A classifier's run, judged per class: the reports of the validation and
//! test splits (from `train::classification`) as summary.json writes them,
//! their figures, and the table printed before the closing line.

use std::path::Path;

use crate::config::Config;
use crate::data::{Examples, PreparedData};
use crate::nn::{Float, Network};
use crate::results::classification_figures;
use crate::results::summary::{ClassReport, Classification, PerClass};
use crate::train::classification::{self, Report};

use super::figures::Job;

/// The reports of the splits that exist; None for regression.
pub(super) struct Reports {
    validation: Option<Report>,
    test: Option<Report>,
}

impl Reports {
    /// `network` (the weights model.json holds) on the validation and test
    /// splits.
    pub(super) fn of<T: Float>(
        config: &Config,
        data: &PreparedData,
        network: &Network<T>,
    ) -> Option<Reports> {
        let on = |split: &Option<Examples>| {
            split.as_ref().and_then(|examples| {
                classification::evaluate(
                    network,
                    examples,
                    config.training.loss,
                    data.task,
                    &data.classes,
                )
            })
        };
        let reports = Reports {
            validation: on(&data.validation),
            test: on(&data.test),
        };
        // Regression: no split has a report.
        (data.task != crate::config::Task::Regression).then_some(reports)
    }

    /// As summary.json's `classification` writes them.
    pub(super) fn summary(&self) -> Classification {
        Classification {
            validation: self.validation.as_ref().map(class_report),
            test: self.test.as_ref().map(class_report),
        }
    }

    /// The split a person sees first: validation, else test.
    pub(super) fn shown(&self) -> Option<(&'static str, &Report)> {
        match (&self.validation, &self.test) {
            (Some(report), _) => Some(("validation", report)),
            (None, Some(report)) => Some(("test", report)),
            (None, None) => None,
        }
    }

    /// The jobs drawing confusion.png/svg (and roc.png/svg for binary
    /// tasks) of the shown split.
    pub(super) fn figure_jobs<'a>(&'a self, dir: &'a Path, title: &'a str) -> Vec<Job<'a>> {
        let Some((split, report)) = self.shown() else {
            return Vec::new();
        };
        let mut jobs = vec![Job::new("confusion", move || {
            Ok(classification_figures::write_confusion(
                dir, title, split, report,
            )?)
        })];
        if report.roc.is_some() {
            jobs.push(Job::new("roc", move || {
                Ok(classification_figures::write_roc(
                    dir, title, split, report,
                )?)
            }));
        }
        jobs
    }
}

fn class_report(report: &Report) -> ClassReport {
    ClassReport {
        classes: report.classes.clone(),
        confusion: report.confusion.counts().to_vec(),
        per_class: report
            .classes
            .iter()
            .zip(&report.per_class)
            .map(|(class, s)| PerClass {
                class: class.clone(),
                precision: s.precision,
                recall: s.recall,
                f1: s.f1,
                support: s.support,
            })
            .collect(),
        roc_auc: report.roc.as_ref().map(|roc| roc.auc),
    }
}

/// The table printed before the closing line (empty beyond ten classes).
pub(super) fn text(reports: &Reports) -> String {
    reports
        .shown()
        .map(|(split, report)| classification::text::render(report, &format!("the {split} split")))
        .unwrap_or_default()
}
