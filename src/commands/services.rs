use crate::cli::{GlobalArgs, OutputArgs};
use crate::commands::query::{connect, print_rows, take_array};
use crate::error::Exit;
use crate::output::{Cell, Column, OutputSpec};

pub async fn services(global: &GlobalArgs, output: &OutputArgs) -> anyhow::Result<Exit> {
    let spec = OutputSpec::from_args(output);
    let client = connect(global)?;
    let path = "/signals/services";
    let mut answer = client.get_json(path).await?;
    let rows = take_array(&mut answer, "services")
        .ok_or_else(|| client.unexpected(path, "expected an object with a `services` array"))?;
    print_rows(&rows, &spec, vec![Column::new("Service", Cell::Itself)])
}
