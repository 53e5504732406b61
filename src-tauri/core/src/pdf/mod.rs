//! STUB until the PDF engine lands from the pdf branch.
pub mod document;
pub mod labels;
