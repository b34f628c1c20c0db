//! The `stadtradar` binary: settings, subcommands and wiring. With no subcommand it serves.

mod demo;
mod settings;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use settings::{Overrides, Settings};
use std::io::Write;
use std::time::Duration;
use store::Db;

/// mimalloc instead of the system allocator: a cached page hit is mostly small short-lived
/// allocations (headers, futures, buffers), where glibc's malloc cost about a tenth of the CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "stadtradar",
    version,
    about = "A city's digitalisation strategy as a radar, open for participation"
)]
struct Cli {
    /// Settings file (default: stadtradar.toml in the working directory, if present).
    #[arg(long, global = true)]
    config: Option<String>,
    /// Database URL (overrides STADTRADAR_DATABASE_URL).
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Listen address (overrides STADTRADAR_ADDR).
    #[arg(long, global = true)]
    addr: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default).
    Serve {
        /// Do not load the Musterstadt demo strategy into an empty database.
        #[arg(long)]
        no_demo: bool,
    },
    /// The Musterstadt demo strategy: load it, or remove it (every public page says "demo data"
    /// while it is loaded).
    Demo {
        #[command(subcommand)]
        action: DemoAction,
    },
    /// Run the database migrations and exit.
    Migrate,
    /// Import a strategy from CSV, JSON or a Thoughtworks radar CSV (all or nothing).
    Import {
        file: String,
        /// Check the file and report what would change, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the strategy.
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<String>,
    },
    /// Manage people: add (prints a one-time link to set the password), list, roles, lock.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Queue a test message and try to send it now (checks the mail settings).
    SendTestMail {
        #[arg(long)]
        to: String,
    },
    /// Load a large synthetic data set (for benchmarks) into an empty database or one with demo
    /// data; it counts as demo data.
    DemoData {
        #[arg(long, default_value_t = 2000)]
        measures: usize,
        #[arg(long, default_value_t = 20000)]
        updates: usize,
        /// Made-up citizens who write the generated comments.
        #[arg(long, default_value_t = 0)]
        people: usize,
        /// Comments in all, spread over the measures' discussions …
        #[arg(long, default_value_t = 0)]
        comments: usize,
        /// … of which this many go to the first measure (by title): the largest discussion.
        #[arg(long, default_value_t = 10000)]
        largest: usize,
        /// Ideas by the made-up citizens, in all statuses, with supports.
        #[arg(long, default_value_t = 0)]
        ideas: usize,
        /// With more than 0: the demo's events, and a large event of this many sessions over
        /// three days ("Digitalwoche Beispielstadt") …
        #[arg(long, default_value_t = 0)]
        event_sessions: usize,
        /// … with this many places to register for.
        #[arg(long, default_value_t = 500)]
        event_places: i64,
        /// A directory of this many offers by about a fortieth as many providers (approved),
        /// in the city's districts (Beispielstadt's ten, when it has none).
        #[arg(long, default_value_t = 0)]
        offers: usize,
        /// Made-up confirmed subscribers of every newsletter topic (`nl-<n>@bench.invalid`).
        #[arg(long, default_value_t = 0)]
        newsletter_subscribers: usize,
    },
}

#[derive(Subcommand)]
enum DemoAction {
    /// Load the demo into an empty database (or refresh it); refused over a real strategy.
    Load,
    /// Remove the demo: the whole strategy (measures, reports, taxonomy); accounts and settings
    /// stay. Audited; every page drops the demo banner.
    Remove,
}

#[derive(Subcommand)]
enum UserAction {
    /// Create an account and print a link (valid 72 hours) with which the person sets a password.
    Add {
        #[arg(long)]
        email: String,
        /// Public display name (defaults to the part of the address before the @).
        #[arg(long)]
        name: Option<String>,
        /// Role to give; repeat for several (admin, editor, moderator, organiser, provider, citizen).
        #[arg(long = "role")]
        roles: Vec<String>,
    },
    /// List all accounts with their roles.
    List,
    /// Give or take roles.
    Role {
        #[arg(long)]
        email: String,
        #[arg(long = "add")]
        add: Vec<String>,
        #[arg(long = "remove")]
        remove: Vec<String>,
    },
    /// Lock an account (ends its sessions) or unlock it.
    Lock {
        #[arg(long)]
        email: String,
        #[arg(long)]
        unlock: bool,
    },
    /// Print a new set-password link for an existing account.
    Link {
        #[arg(long)]
        email: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Csv,
    Json,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(
        cli.config.as_deref(),
        Overrides {
            database_url: cli.database_url.clone(),
            addr: cli.addr.clone(),
        },
    ) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("stadtradar: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    init_logs(&settings);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("stadtradar: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(
        cli.command.unwrap_or(Command::Serve { no_demo: false }),
        settings,
    )) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("stadtradar: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logs(s: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_new(&s.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if s.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(settings: &Settings) -> anyhow::Result<Db> {
    let db = Db::connect(&settings.database_url).await.with_context(|| {
        format!("cannot open the database (setting database_url): {settings:?}")
    })?;
    db.migrate().await.context("database migrations failed")?;
    Ok(db)
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<std::process::ExitCode> {
    match command {
        Command::Serve { no_demo } => serve(settings, no_demo).await?,
        Command::Migrate => {
            open(&settings).await?;
            eprintln!("migrations applied");
        }
        Command::Import { file, dry_run } => return import(&settings, &file, dry_run).await,
        Command::Export { format, output } => {
            let db = open(&settings).await?;
            let doc = db.export_document().await?;
            let bytes = match format {
                ExportFormat::Json => {
                    let mut v = serde_json::to_vec_pretty(&doc)?;
                    v.push(b'\n');
                    v
                }
                ExportFormat::Csv => domain::import::to_csv(&doc)?,
            };
            match output {
                Some(path) => {
                    std::fs::write(&path, bytes).with_context(|| format!("cannot write {path}"))?
                }
                None => std::io::stdout().write_all(&bytes)?,
            }
        }
        Command::User { action } => return user(&settings, action).await,
        Command::Demo { action } => return demo_command(&settings, action).await,
        Command::SendTestMail { to } => {
            if !domain::mail::is_address(&to) {
                eprintln!("stadtradar: {to:?} is not an e-mail address");
                return Ok(std::process::ExitCode::from(2));
            }
            let db = open(&settings).await?;
            let mailer = mailer(&settings)?;
            let id = db
                .enqueue_mail(&store::mail::Outgoing {
                    to,
                    subject: "stadtradar: Testnachricht".into(),
                    text: "Diese Testnachricht zeigt, dass stadtradar E-Mails versenden kann.\n"
                        .into(),
                    html: None,
                    secret: None,
                    one_click_unsubscribe: false,
                    calendar: None,
                })
                .await?;
            let (sent, _) =
                web::mail::run_once(&db, &mailer, time::OffsetDateTime::now_utc()).await?;
            if sent == 0 {
                eprintln!(
                    "message {id} could not be sent now; it stays queued and is retried by the server (see the log above)"
                );
                return Ok(std::process::ExitCode::from(1));
            }
            println!("message {id} sent via {}", mailer.describe());
        }
        Command::DemoData {
            measures,
            updates,
            people,
            comments,
            largest,
            ideas,
            event_sessions,
            event_places,
            offers,
            newsletter_subscribers,
        } => {
            let db = open(&settings).await?;
            let doc = demo::synthetic(measures, updates)?;
            let plan = domain::import::validate(&doc, &db.known().await?)
                .map_err(|e| anyhow::anyhow!("synthetic data invalid: {:?}", e.first()))?;
            let Some(s) = db.load_demo(&plan).await? else {
                eprintln!(
                    "stadtradar: the database holds a real strategy; synthetic data goes only into an empty database or one with demo data"
                );
                return Ok(std::process::ExitCode::from(1));
            };
            eprintln!(
                "demo data: {} measures created, {} updated, {updates} progress reports",
                s.created, s.updated
            );
            let authors = if comments > 0 || ideas > 0 {
                db.generate_people(people.max(1), "bench").await?
            } else {
                Vec::new()
            };
            if comments > 0 {
                let started = std::time::Instant::now();
                let all = db
                    .all_measures(&store::strategy::MeasureFilter::default())
                    .await?;
                let mut sorted: Vec<_> = all.iter().collect();
                sorted.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
                let Some((first, rest)) = sorted.split_first() else {
                    anyhow::bail!("no published measure to discuss");
                };
                let largest = largest.min(comments);
                db.generate_comments(first.id, &authors, largest, 0).await?;
                let others = comments - largest;
                if !rest.is_empty() {
                    let each = others / rest.len();
                    let extra = others % rest.len();
                    for (i, m) in rest.iter().enumerate() {
                        let n = each + usize::from(i < extra);
                        db.generate_comments(m.id, &authors, n, largest + i * each)
                            .await?;
                    }
                }
                eprintln!(
                    "discussions: {comments} comments by {} people in {:.1}s; the largest: /massnahmen/{} ({largest} comments)",
                    authors.len(),
                    started.elapsed().as_secs_f64(),
                    first.slug
                );
            }
            if ideas > 0 {
                let started = std::time::Instant::now();
                db.generate_ideas(&authors, ideas).await?;
                eprintln!(
                    "ideas: {ideas} ideas by {} people in {:.1}s",
                    authors.len(),
                    started.elapsed().as_secs_f64()
                );
            }
            if event_sessions > 0 {
                if !(1..=domain::programme::CAPACITY_MAX).contains(&event_places) {
                    anyhow::bail!(
                        "--event-places must be between 1 and {}",
                        domain::programme::CAPACITY_MAX
                    );
                }
                let started = std::time::Instant::now();
                demo::events(&db).await?;
                let day = domain::text::slugify("Digitaltag 2026 #DigitalMiteinander");
                let (slug, first) = demo::events::large(&db, event_sessions, event_places).await?;
                eprintln!(
                    "events: the day /veranstaltungen/{day} (14 sessions); the large /veranstaltungen/{slug} ({event_sessions} sessions, {event_places} places); the questions /veranstaltungen/{slug}/sessions/{first}/fragen in {:.1}s",
                    started.elapsed().as_secs_f64()
                );
            }
            if offers > 0 {
                let started = std::time::Instant::now();
                let d = demo::offers_bulk::generate(&db, offers, 2026).await?;
                eprintln!(
                    "offers: {} from {} providers in {:.1}s ({} districts and {} postcodes created); the offer /angebote/{}; the saved offer /anbieten/{}/angebote/{}; the requested offer /angebote/{}; the postcode {}; the category {}; the postcodes {}; the categories {}",
                    d.offers,
                    d.providers,
                    started.elapsed().as_secs_f64(),
                    d.districts_created,
                    d.postcodes_created,
                    d.offer_slug,
                    d.saved_offer.0,
                    d.saved_offer.1,
                    d.requested_offer,
                    d.postcode,
                    d.category,
                    d.postcodes.join(","),
                    d.categories.join(",")
                );
            }
            if newsletter_subscribers > 0 {
                let started = std::time::Instant::now();
                let n = db
                    .generate_newsletter_subscribers(newsletter_subscribers, "bench.invalid")
                    .await?;
                eprintln!(
                    "newsletter: {n} confirmed subscribers of every topic in {:.1}s",
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn roles(names: &[String]) -> anyhow::Result<Vec<domain::accounts::Role>> {
    names
        .iter()
        .map(|n| {
            domain::accounts::Role::parse(n).ok_or_else(|| {
                anyhow::anyhow!(
                    "{n:?} is not a role (admin, editor, moderator, organiser, provider, citizen)"
                )
            })
        })
        .collect()
}

/// Creates a one-time set-password token and returns the link.
async fn password_link(db: &Db, settings: &Settings, user_id: i64) -> anyhow::Result<String> {
    let token = web::session::random_token().map_err(|e| anyhow::anyhow!("{e}"))?;
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(72);
    db.create_token(
        user_id,
        store::accounts::TokenPurpose::SetPassword,
        &web::session::sha256_hex(&token),
        expires,
    )
    .await?;
    Ok(format!(
        "{}/konto/passwort-setzen?token={token}",
        settings.base_url.trim_end_matches('/')
    ))
}

async fn user(settings: &Settings, action: UserAction) -> anyhow::Result<std::process::ExitCode> {
    let db = open(settings).await?;
    let find = |email: String| {
        let db = db.clone();
        async move {
            let e = domain::accounts::normalise_email(&email);
            db.user_by_email(&e)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no account with the address {e}"))
        }
    };
    match action {
        UserAction::Add {
            email,
            name,
            roles: r,
        } => {
            let email = domain::accounts::normalise_email(&email);
            let wanted = roles(&r)?;
            anyhow::ensure!(
                domain::mail::is_address(&email),
                "{email:?} is not an e-mail address"
            );
            anyhow::ensure!(
                db.user_by_email(&email).await?.is_none(),
                "an account with {email} exists already"
            );
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or("").to_string());
            let name = domain::accounts::check_display_name(&name)
                .map_err(|k| anyhow::anyhow!("the display name is not allowed ({k})"))?;
            let id = db.create_user(&email, &name, &wanted).await?;
            println!(
                "account {email} created; the person sets a password with this link (valid 72 hours, once):"
            );
            println!("{}", password_link(&db, settings, id).await?);
        }
        UserAction::List => {
            for (u, r) in db.users(10_000, 0).await? {
                let r: Vec<&str> = r.iter().map(|r| r.as_str()).collect();
                println!(
                    "{}\t{}\t{}\t{}",
                    u.email,
                    u.display_name,
                    if r.is_empty() {
                        "-".to_string()
                    } else {
                        r.join(",")
                    },
                    if u.locked {
                        "locked"
                    } else if u.password_hash.is_none() {
                        "no password yet"
                    } else {
                        "active"
                    }
                );
            }
        }
        UserAction::Role { email, add, remove } => {
            let u = find(email).await?;
            db.set_roles(None, u.id, &roles(&add)?, &roles(&remove)?)
                .await?;
            let now: Vec<&str> = db
                .roles_of(u.id)
                .await?
                .iter()
                .map(|r| r.as_str())
                .collect();
            println!("{}: {}", u.email, now.join(","));
        }
        UserAction::Lock { email, unlock } => {
            let u = find(email).await?;
            db.set_locked(None, u.id, !unlock).await?;
            println!(
                "{} {}",
                u.email,
                if unlock {
                    "unlocked"
                } else {
                    "locked; all sessions ended"
                }
            );
        }
        UserAction::Link { email } => {
            let u = find(email).await?;
            println!("{}", password_link(&db, settings, u.id).await?);
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn mailer(s: &Settings) -> anyhow::Result<web::mail::Mailer> {
    let m = if s.smtp_host.is_empty() {
        web::mail::Mailer::outbox(&s.outbox_dir, &s.mail_from)
    } else {
        let security =
            web::mail::Security::parse(&s.smtp_security).unwrap_or(web::mail::Security::StartTls);
        let credentials =
            (!s.smtp_user.is_empty()).then(|| (s.smtp_user.clone(), s.smtp_password.clone()));
        web::mail::Mailer::smtp(
            &s.smtp_host,
            s.smtp_port,
            security,
            credentials,
            &s.mail_from,
        )
    };
    m.map_err(|e| anyhow::anyhow!(e))
}

async fn import(
    settings: &Settings,
    file: &str,
    dry_run: bool,
) -> anyhow::Result<std::process::ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {file}"))?;
    let db = open(settings).await?;
    let result = match domain::import::parse(&bytes) {
        Ok((_, doc)) => domain::import::validate(&doc, &db.known().await?),
        Err(e) => Err(e),
    };
    let plan = match result {
        Ok(p) => p,
        Err(errors) => {
            eprintln!("{file}: {} error(s), nothing was imported:", errors.len());
            for e in &errors {
                eprintln!("  {e}");
            }
            return Ok(std::process::ExitCode::from(1));
        }
    };
    let s = db.apply_import(&plan, dry_run).await?;
    println!(
        "{}{} created, {} updated, {} unchanged; {} core areas and {} fields of action created",
        if dry_run {
            "dry run (nothing written): "
        } else {
            ""
        },
        s.created,
        s.updated,
        s.unchanged,
        s.core_areas_created,
        s.fields_created
    );
    Ok(std::process::ExitCode::SUCCESS)
}

/// Loads the Musterstadt demo as demo content; `None` when the database holds a real strategy.
async fn load_musterstadt(db: &Db) -> anyhow::Result<Option<store::import::ImportSummary>> {
    let (_, doc) = domain::import::parse(demo::MUSTERSTADT.as_bytes())
        .map_err(|e| anyhow::anyhow!("demo data invalid: {:?}", e.first()))?;
    let plan = domain::import::validate(&doc, &db.known().await?)
        .map_err(|e| anyhow::anyhow!("demo data invalid: {:?}", e.first()))?;
    let Some(summary) = db.load_demo(&plan).await? else {
        return Ok(None);
    };
    let p = demo::participation(db).await?;
    let sessions = demo::events(db).await?;
    let o = demo::offers(db).await?;
    let issues = demo::newsletter::issues(db).await?;
    tracing::info!(
        people = p.people,
        ratings = p.ratings,
        comments = p.comments,
        ideas = p.ideas,
        sessions,
        providers = o.providers,
        offers = o.offers,
        roles = o.roles,
        newsletter_issues = issues,
        "demo participation, events, offers, volunteering and newsletter loaded"
    );
    Ok(Some(summary))
}

async fn demo_command(
    settings: &Settings,
    action: DemoAction,
) -> anyhow::Result<std::process::ExitCode> {
    let db = open(settings).await?;
    match action {
        DemoAction::Load => match load_musterstadt(&db).await? {
            Some(s) => println!(
                "demo loaded: {} measures created, {} updated, {} unchanged; public pages show the demo banner",
                s.created, s.updated, s.unchanged
            ),
            None => {
                eprintln!(
                    "stadtradar: the database holds a real strategy; the demo is not loaded over it"
                );
                return Ok(std::process::ExitCode::from(1));
            }
        },
        DemoAction::Remove => match db.remove_demo(None).await? {
            Some(r) => {
                println!(
                    "demo removed: {} measures, {} progress reports, {} core areas, {} fields of action, {} focus areas; accounts and settings kept",
                    r.measures, r.reports, r.core_areas, r.fields, r.focus_areas
                );
                if r.restricted_editors > 0 {
                    println!(
                        "{} editor(s) restricted to demo fields of action lost the editor role (see the audit log)",
                        r.restricted_editors
                    );
                }
            }
            None => println!("no demo data in the database; nothing removed"),
        },
    }
    Ok(std::process::ExitCode::SUCCESS)
}

async fn serve(settings: Settings, no_demo: bool) -> anyhow::Result<()> {
    let db = open(&settings).await?;
    // Into an empty database only, and not again once an operator removed it.
    if !no_demo
        && db.strategy().await?.is_none()
        && db.demo_removed_at().await?.is_none()
        && let Some(s) = load_musterstadt(&db).await?
    {
        tracing::warn!(
            measures = s.created,
            "loaded the Musterstadt demo strategy: public pages say it is demo data; remove it with `stadtradar demo remove` or import your own strategy"
        );
    }
    let handle = metrics_exporter_prometheus::PrometheusBuilder::new()
        .set_buckets(&[
            0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
        ])
        .context("metrics buckets")?
        .install_recorder()
        .context("cannot install the metrics recorder")?;
    let mut state = web::AppState::with_cache(
        db.clone(),
        &settings.base_url,
        settings.page_cache_mb.saturating_mul(1024 * 1024),
    )
    .await?;
    let proxies = settings
        .trusted_proxy_networks()
        .map_err(|e| anyhow::anyhow!(e))?;
    let map = match settings.map_tiles.trim() {
        "" => None,
        t => Some(
            web::map::Tiles::new(t, &settings.map_attribution).map_err(|e| anyhow::anyhow!(e))?,
        ),
    };
    anyhow::ensure!(
        state.configure(|s| {
            s.metrics = Some(handle);
            s.trusted_proxies = proxies.into();
            s.comment_limits = settings.comment_limits();
            s.map = map;
        }),
        "the web state was shared before it was configured"
    );
    let bus_tasks = web::events::spawn(state.clone(), Duration::from_secs(1));
    let bus = state.bus.clone();
    let mailer = std::sync::Arc::new(mailer(&settings)?);
    tracing::info!(via = %mailer.describe(), "mail worker started");
    let mail_worker = web::mail::spawn_worker(db.clone(), mailer, Duration::from_secs(2));
    let newsletter = web::newsletter::spawn(state.clone(), settings.newsletter_rate);
    let app = web::router(state);
    let listener = tokio::net::TcpListener::bind(&settings.addr)
        .await
        .with_context(|| format!("cannot listen on {} (setting addr)", settings.addr))?;
    tracing::info!(addr = %settings.addr, base_url = %settings.base_url, "stadtradar is serving");
    eprintln!("stadtradar: http://{}", settings.addr);
    // Our own accept loop (web::server): a deadline for request heads, a limit on connections
    // where nothing moves, and each connection's address for the rate limits.
    let limits = web::server::Limits {
        header_read_timeout: Duration::from_secs(settings.header_read_timeout_secs),
        idle_timeout: Duration::from_secs(settings.idle_timeout_secs),
        ..web::server::Limits::default()
    };
    web::server::serve(listener, app, limits, async move {
        shutdown().await;
        // Live streams end now, so open pages do not hold the shutdown up.
        bus.shut_down();
    })
    .await;
    for t in bus_tasks {
        t.abort();
    }
    mail_worker.abort();
    newsletter.abort();
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
