//! The `souk` command: serve the shop, migrate, seed and manage accounts.

mod settings;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use settings::{Settings, SettingsArgs};
use souk_core::domain::identity::Role;
use souk_core::{Db, Shop};
use std::net::SocketAddr;

/// souk: an e-commerce and multi-vendor marketplace platform.
#[derive(Debug, Parser)]
#[command(name = "souk", version, about)]
struct Cli {
    #[command(flatten)]
    settings: SettingsArgs,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate, seed the demo catalogue if the shop is empty, and serve,
    /// running the job worker and scheduler in the same process.
    Serve {
        /// Do not seed the demo catalogue into an empty shop.
        #[arg(long)]
        no_demo: bool,
        /// Serve HTTP only; run `souk worker` elsewhere.
        #[arg(long)]
        no_worker: bool,
    },
    /// Run the job worker and the scheduler alone, without HTTP.
    Worker,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Fill the catalogue with data.
    Seed {
        /// The demo shop: categories, sellers and about 85 products.
        #[arg(long, conflicts_with = "benchmark")]
        demo: bool,
        /// A generated catalogue of this many products (about three
        /// variants each), on top of the demo shop.
        #[arg(long, value_name = "PRODUCTS")]
        benchmark: Option<usize>,
        /// This many orders holding lines of one seller (copies of the
        /// demo orders, placed further and further back), for the seller
        /// panel's benchmark.
        #[arg(long, value_name = "ORDERS", conflicts_with_all = ["demo", "benchmark"])]
        seller_orders: Option<usize>,
        /// The seller whose orders `--seller-orders` writes.
        #[arg(long, value_name = "SLUG", default_value = "northwind-ceramics")]
        seller: String,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account, or set the role and password of an existing one.
    Create {
        #[arg(long)]
        email: String,
        /// At least 10 characters.
        #[arg(long)]
        password: String,
        #[arg(long, value_enum, default_value_t = RoleArg::Customer)]
        role: RoleArg,
        /// Display name (default: the part of the email before the @).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    Customer,
    Seller,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Customer => Role::Customer,
            RoleArg::Seller => Role::Seller,
            RoleArg::Admin => Role::Admin,
        }
    }
}

fn main() {
    let cli = Cli::parse();
    let settings = match Settings::load(&cli.settings) {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("souk: {err:#}");
            std::process::exit(2);
        }
    };
    init_tracing(&settings.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("souk: cannot start the async runtime: {err}");
            std::process::exit(1);
        }
    };
    if let Err(err) = runtime.block_on(run(
        cli.command.unwrap_or(Command::Serve {
            no_demo: false,
            no_worker: false,
        }),
        settings,
    )) {
        eprintln!("souk: {err:#}");
        std::process::exit(1);
    }
}

fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    let db = Db::connect(&settings.db_config()).await?;
    souk_core::migrate(&db)
        .await
        .context("migrating the database")?;
    let shop = Shop::open(db, settings.shop_config()).await?;
    match command {
        Command::Serve { no_demo, no_worker } => {
            if !no_demo && shop.catalogue_is_empty().await? {
                let report = shop.seed_demo().await?;
                let orders = shop.seed_demo_orders().await?;
                let photos = shop.seed_demo_photos().await?;
                tracing::info!(
                    products = report.products,
                    variants = report.variants,
                    orders,
                    photos,
                    "seeded the demo shop"
                );
            }
            if !no_worker {
                spawn_background_work(&shop, &settings);
            }
            serve(shop, &settings).await
        }
        Command::Worker => {
            println!("souk is running jobs; stop with Ctrl-C.");
            let worker = {
                let shop = shop.clone();
                tokio::spawn(async move { shop.run_worker(worker_name(), shutdown_signal()).await })
            };
            shop.run_scheduler(settings.schedule(), shutdown_signal())
                .await;
            worker.await?;
            Ok(())
        }
        Command::Migrate => {
            println!("The database is migrated.");
            Ok(())
        }
        Command::Seed {
            seller_orders: Some(orders),
            seller,
            ..
        } => {
            let written = shop.seed_seller_orders(&seller, orders).await?;
            println!("Wrote {written} orders with lines of {seller}.");
            Ok(())
        }
        Command::Seed {
            demo, benchmark, ..
        } => {
            let report = match (demo, benchmark) {
                (_, Some(products)) => {
                    shop.seed_benchmark(souk_core::demo::BenchmarkSize { products })
                        .await?
                }
                (true, None) => {
                    let report = shop.seed_demo().await?;
                    let orders = shop.seed_demo_orders().await?;
                    println!("Placed {orders} demo orders.");
                    let photos = shop.seed_demo_photos().await?;
                    println!(
                        "Photographed {photos} demo products (thumbnails follow from the job queue)."
                    );
                    report
                }
                (false, None) => {
                    anyhow::bail!("say what to seed: --demo, --benchmark N or --seller-orders N")
                }
            };
            println!(
                "Seeded {} products with {} variants ({} categories, {} sellers).",
                report.products, report.variants, report.categories, report.sellers
            );
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    password,
                    role,
                    name,
                },
        } => {
            let role = Role::from(role);
            match shop
                .save_user(&email, &password, name.as_deref(), role)
                .await
            {
                Ok((user, saved)) => {
                    let verb = match saved {
                        souk_core::accounts::UserSaved::Created => "Created",
                        souk_core::accounts::UserSaved::Updated => "Updated",
                    };
                    println!("{verb} {} ({}) with id {}.", user.email, user.role, user.id);
                    Ok(())
                }
                Err(souk_core::CoreError::Validation(errors)) => {
                    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                    anyhow::bail!("{}", lines.join("; "))
                }
                Err(err) => Err(err.into()),
            }
        }
    }
}

/// The job worker and the scheduler, in the background of `serve`.
fn spawn_background_work(shop: &Shop, settings: &Settings) {
    let (worker, scheduler) = (shop.clone(), shop.clone());
    let schedule = settings.schedule();
    tokio::spawn(async move {
        worker
            .run_worker(worker_name(), std::future::pending())
            .await
    });
    tokio::spawn(async move {
        scheduler
            .run_scheduler(schedule, std::future::pending())
            .await
    });
}

/// How a worker names itself in the jobs it holds.
fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "souk".to_owned());
    format!("{host}:{}", std::process::id())
}

async fn serve(shop: Shop, settings: &Settings) -> anyhow::Result<()> {
    // Planner statistics now and hourly: without them SQLite can pick a
    // slow join order for searches.
    let db = shop.db().clone();
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            if let Err(err) = db.optimize().await {
                tracing::warn!(error = %err, "refreshing planner statistics failed");
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(&settings.addr)
        .await
        .with_context(|| format!("cannot listen on {}", settings.addr))?;
    let addr = listener.local_addr()?;
    println!("souk is serving the shop at http://{addr}/");
    println!("  API docs:  http://{addr}/api/docs");
    println!(
        "  Create an admin: souk user create --email you@example.com --password '<at least 10 characters>' --role admin"
    );
    let app = souk_web::router(shop, settings.web_config())
        .into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving HTTP")?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
