//! The throwaway server itself: one per process, a database per test.

use crate::pg;
use std::io::Write;

#[test]
fn the_server_gives_each_test_a_database_of_its_own() {
    let server = pg::server();
    let _ = writeln!(
        std::io::stderr(),
        "test PostgreSQL server: 127.0.0.1:{}, pid {}, in {}, up in {:?}",
        server.port,
        server.pid,
        server.dir.display(),
        server.started_in
    );
    let (a, b) = (server.create_database(), server.create_database());
    assert_ne!(a, b);
    for db in [&a, &b] {
        let mut c = server.connect(db);
        assert_eq!(c.query_one("SELECT 1", &[]).unwrap().get::<_, i32>(0), 1);
        let row = c
            .query_one("SELECT current_database()::text, current_user::text", &[])
            .unwrap();
        assert_eq!(row.get::<_, String>(0), *db);
        assert_eq!(row.get::<_, String>(1), pg::ADMIN);
    }
    // What one database holds, the other does not.
    server
        .connect(&a)
        .batch_execute("CREATE TABLE only_in_a (x int); INSERT INTO only_in_a VALUES (1)")
        .unwrap();
    assert_eq!(server.sql(&a, "SELECT x FROM only_in_a"), [["1"]]);
    assert_eq!(
        server.sql(&b, "SELECT to_regclass('only_in_a') IS NULL"),
        [["t"]]
    );
    // The URL xaas is given names the same server and database.
    assert_eq!(
        server.url(&a),
        format!("postgres://{}@127.0.0.1:{}/{a}", pg::ADMIN, server.port)
    );
}

#[test]
fn the_server_is_one_per_process_and_never_root() {
    let (one, two) = (pg::server(), pg::server());
    assert!(std::ptr::eq(one, two));
    // PostgreSQL refuses root: as root, the harness runs it as `postgres`.
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", one.pid)).expect("the postmaster runs");
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap();
    assert_ne!(uid, "0", "the server runs as root");
}
