//! Arguments that take one of a closed set of values (`labelled_enum!`):
//! parsed by the value's own rules (any dash, Chinese forms), and offered
//! to `--help` and shell completion as their ids with the Chinese label.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, TypedValueParser};
use xaas::spelling::Labelled;

#[derive(Clone, Copy)]
pub struct Choice<T>(PhantomData<T>);

impl<T: Labelled> Choice<T> {
    pub fn new() -> Choice<T> {
        Choice(PhantomData)
    }
}

impl<T: Labelled> TypedValueParser for Choice<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        // As a plain function parser does: the same errors, exit codes
        // and messages.
        let parse: fn(&str) -> Result<T, String> = T::parse;
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            T::all()
                .iter()
                .map(|v| PossibleValue::new(v.id()).help(v.label_zh())),
        ))
    }
}
