//! The plan format's enums of words: each value's spelling, parsing with a
//! did-you-mean, and the list of words (for completions and help).

/// An enum of words (the plan format's and the command line's spelling).
pub trait Words: std::str::FromStr<Err = String> {
    fn words() -> Vec<&'static str>;
}

macro_rules! kebab_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }
        impl $name {
            /// Every value, in the order the format lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The spelling used in plan files and on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }
        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let all = [$($text),+];
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(match crate::prose::closest(s, all.iter().copied()) {
                        Some(best) => format!("unknown value `{s}`; did you mean `{best}`? (one of {})", all.join(", ")),
                        None => format!("unknown value `{s}`; expected one of {}", all.join(", ")),
                    }),
                }
            }
        }
        impl Words for $name {
            fn words() -> Vec<&'static str> {
                vec![$($text),+]
            }
        }
    };
}
