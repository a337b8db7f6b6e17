//! What every command is handed: the command line's global settings, the terminal (detected
//! once), and the one way to build an API client.

use std::cell::Cell;
use std::time::Duration;

use crate::api::{BaseUrl, Client, ClientOptions};
use crate::cli::GlobalArgs;
use crate::command_error::{Cause, CommandError, Result};
use crate::commands::query::Fields;
use crate::commands::token_age;
use crate::config::{self, Overrides, Settings};
use crate::error::UserError;
use crate::output::{Format, OutputSpec, View};
use crate::secret::Token;
use crate::term::Terminal;

pub struct Context {
    pub overrides: Overrides,
    pub terminal: Terminal,
    timeout: Duration,
    pub verbose: bool,
    /// `--no-pager`.
    no_pager: bool,
    /// Whether the token's destination was already announced (once per run).
    announced: Cell<bool>,
    /// Whether the warning about a token sent over plain http was given (once per run).
    warned_cleartext: Cell<bool>,
    /// Whether the token's age was looked at (once per run, and never by `whoami`, which
    /// always says it).
    age_checked: Cell<bool>,
}

impl Context {
    pub fn new(global: GlobalArgs, terminal: Terminal) -> Self {
        Self {
            overrides: Overrides {
                url: global.url,
                token: global.token,
                config: global.config,
                profile: global.profile,
            },
            terminal,
            timeout: Duration::from_millis(global.timeout),
            verbose: global.verbose,
            no_pager: global.no_pager,
            announced: Cell::new(false),
            warned_cleartext: Cell::new(false),
            age_checked: Cell::new(false),
        }
    }

    /// The file `login` or `logout` changes; says on stderr when `KOPAI_CONFIG` overrides
    /// `--global`.
    pub fn write_target(&self, use_global: bool) -> Result<config::WriteTarget, UserError> {
        let target = config::write_target(&self.overrides, use_global)?;
        if let Some(warning) = &target.warning {
            errln!("warning: {warning}");
        }
        Ok(target)
    }

    /// The config file, token and URL, by flag → environment → profile → default. On a
    /// terminal, the first call of a run may warn (once a day) that the token nears its end.
    pub fn settings(&self) -> Result<Settings> {
        let settings = config::resolve(&self.overrides)?;
        if self.terminal.stderr_is_terminal && !self.age_checked.replace(true) {
            token_age::remind_daily(&settings);
        }
        Ok(settings)
    }

    /// For a command that tells the token's age itself, every time.
    pub fn skip_age_reminder(&self) {
        self.age_checked.set(true);
    }

    /// Before the token is sent: says where it goes when a `./.kopairc` chose the server and
    /// the token came from elsewhere. Once per run.
    pub fn announce_destination(&self, settings: &Settings) {
        if let Some(note) = settings.token_destination_note() {
            if !self.announced.replace(true) {
                errln!("note: {note}");
            }
        }
    }

    /// A client for `url`, sending `token` if there is one: the one place a token leaves for a
    /// server, so the one place that warns when it would cross the network unencrypted.
    pub fn client_for(&self, url: BaseUrl, token: Option<Token>) -> Result<Client> {
        self.client_for_within(url, token, self.timeout)
    }

    /// `client_for`, giving up after `timeout` (retries included) if that is shorter than
    /// `--timeout`.
    pub fn client_for_within(
        &self,
        url: BaseUrl,
        token: Option<Token>,
        timeout: Duration,
    ) -> Result<Client> {
        if token.is_some() {
            self.warn_if_cleartext(&url);
        }
        Ok(Client::new(url, token, self.client_options(timeout))?)
    }

    /// Says on stderr, once per run, that a token for `url` crosses the network unencrypted
    /// (plain http to a host that is not this machine).
    pub fn warn_if_cleartext(&self, url: &BaseUrl) {
        if url.is_insecure() && !self.warned_cleartext.replace(true) {
            errln!(
                "warning: {} uses plain http: the token is sent unencrypted; use https",
                url.as_str()
            );
        }
    }

    /// A request that failed because of where it went: the URL is on the OTLP ingest port
    /// (4318, or 4317 for gRPC), which a Kopai server serves apart from its API.
    pub fn diagnose(&self, err: CommandError) -> CommandError {
        if !matches!(&err.cause, Cause::Api(e) if !e.is_auth()) {
            return err;
        }
        let Ok(settings) = config::resolve(&self.overrides) else {
            return err;
        };
        let url = settings.url;
        match url.port() {
            Some(port @ (4317 | 4318)) => err.with_hint(format!(
                "{} is on port {port}, the port Kopai ingests OTLP on; its API, which kopai \
                 reads, is elsewhere (http://localhost:8000 when Kopai runs locally): use \
                 --url with that",
                url.as_str()
            )),
            _ => err,
        }
    }

    /// `--verbose`, and `timeout` but never longer than `--timeout`.
    fn client_options(&self, timeout: Duration) -> ClientOptions {
        ClientOptions {
            timeout: timeout.min(self.timeout),
            verbose: self.verbose,
            retries: true,
        }
    }

    /// A client for the query commands: the resolved URL, and the token if there is one (a
    /// local development server needs none).
    pub fn client(&self) -> Result<Client> {
        let settings = self.settings()?;
        self.announce_destination(&settings);
        let token = settings.token.map(|(token, _)| token);
        self.client_for(settings.url, token)
    }

    /// The same, giving up after `timeout` if that is shorter than `--timeout` (a probe must
    /// not hang), and without the cleartext warning. Shell completion has its own,
    /// [`Context::completion_client`].
    pub fn client_with_timeout(&self, timeout: Duration) -> Result<Client> {
        let settings = self.settings()?;
        self.announce_destination(&settings);
        let token = settings.token.map(|(token, _)| token);
        let options = ClientOptions {
            retries: false,
            ..self.client_options(timeout)
        };
        Ok(Client::new(settings.url, token, options)?)
    }

    /// A client for shell completion: gives up after `timeout` if that is shorter than
    /// `--timeout` (completion must not hang), and sends the token only when it comes from
    /// where the URL comes from ([`Settings::token_for_url`]). Completion throws stderr away,
    /// so neither the note of `announce_destination` nor the cleartext warning could be seen
    /// there (the one who pressed TAB gets the warning from the command they run).
    pub fn completion_client(&self, timeout: Duration) -> Result<Client> {
        let settings = self.settings()?;
        let token = settings.token_for_url();
        let options = ClientOptions {
            retries: false,
            ..self.client_options(timeout)
        };
        Ok(Client::new(settings.url, token, options)?)
    }

    /// How to print: `--json`/`--table` (or the terminal's default), `--wide`, `--utc`,
    /// `--csv-raw` (only with CSV or TSV), and the `-f` fields resolved to the names `known`
    /// has (an unknown one is a usage error).
    pub fn output(
        &self,
        output: &crate::cli::OutputArgs,
        known: &Fields,
    ) -> Result<OutputSpec, UserError> {
        let mut spec = OutputSpec::new(
            output.format(self.terminal.stdout_is_terminal),
            &output.fields,
        );
        spec.fields = known.resolve(&spec.fields)?;
        spec.view = View {
            wide: output.wide,
            utc: output.utc,
        };
        if output.csv_raw && !matches!(spec.format, Format::Csv | Format::Tsv) {
            return Err(UserError::usage(
                "--csv-raw applies only to -o csv and -o tsv",
            ));
        }
        spec.raw_cells = output.csv_raw;
        // A table a person reads at the terminal may be long: through the pager, unless
        // --no-pager (or --follow, which forbids it later).
        if spec.format == Format::Table && self.terminal.stdout_is_terminal && !self.no_pager {
            crate::output::pager::want();
        }
        Ok(spec)
    }

    /// A query client and the web UI's base, for commands that print links. Both come from
    /// one reading of the config.
    pub fn client_and_ui(&self) -> Result<(Client, BaseUrl)> {
        let settings = self.settings()?;
        self.announce_destination(&settings);
        let ui = settings.ui_url()?;
        let token = settings.token.map(|(token, _)| token);
        Ok((self.client_for(settings.url, token)?, ui))
    }

    /// `--timeout`: each request's, and the bound of a search made of many requests.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn format(&self, format: &crate::cli::args::FormatArgs) -> Format {
        format.format(self.terminal.stdout_is_terminal)
    }
}
