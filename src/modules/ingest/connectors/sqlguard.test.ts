import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidError } from "../../../core/errors.ts";
import { checkSelectQuery, isPlainIdentifier, quoteColumnName, quoteTableName } from "./sqlguard.ts";

const refused = (f: () => unknown, field: string, re: RegExp) =>
  assert.throws(f, (e: unknown) => e instanceof InvalidError && e.field === field && re.test(e.messageZh));

test("table and column names are validated and quoted, never passed raw", () => {
  assert.equal(quoteTableName("people"), '"people"');
  assert.equal(quoteTableName("hr.people"), '"hr"."people"');
  assert.equal(quoteTableName("人口库"), '"人口库"');
  assert.equal(quoteColumnName("updated_at", "incrementalColumn"), '"updated_at"');
  for (const bad of ["people; drop table x", 'p"eople', "a.b.c", "", "1abc", "a b", "a-b", "x'--", "a".repeat(64)])
    refused(() => quoteTableName(bad), "table", /表名/);
  refused(() => quoteColumnName('id" > 0 --', "incrementalColumn"), "incrementalColumn", /列名/);
  assert.equal(isPlainIdentifier("数据_1$"), true);
  assert.equal(isPlainIdentifier("列".repeat(22)), false); // 66 bytes
});

test("a single SELECT or WITH … SELECT passes, without comments or a trailing semicolon", () => {
  assert.equal(checkSelectQuery("select id, name from people where id > 3"), "select id, name from people where id > 3");
  assert.equal(checkSelectQuery("SELECT 1;"), "SELECT 1");
  assert.equal(checkSelectQuery("select 1 -- trailing comment"), "select 1");
  assert.equal(checkSelectQuery("/* a /* nested */ comment */ select 2; -- done; really"), "select 2");
  assert.equal(checkSelectQuery("with x as (select 1 as a) select a from x"), "with x as (select 1 as a) select a from x");
  // Keywords and semicolons inside strings, quoted identifiers and dollar quotes are data, not SQL.
  assert.equal(checkSelectQuery("select 'a;delete from t' as s, \"update\" from t"), "select 'a;delete from t' as s, \"update\" from t");
  assert.equal(checkSelectQuery("select $q$ drop table x; $q$ as s"), "select $q$ drop table x; $q$ as s");
  assert.equal(checkSelectQuery("select E'it\\'s; insert' as s"), "select E'it\\'s; insert' as s");
  assert.equal(checkSelectQuery("select last_update, deleted from t"), "select last_update, deleted from t");
});

test("anything else is refused with a clear message", () => {
  refused(() => checkSelectQuery(""), "query", /不能为空/);
  refused(() => checkSelectQuery("-- only a comment"), "query", /SELECT 或 WITH/);
  refused(() => checkSelectQuery("delete from people"), "query", /SELECT 或 WITH/);
  refused(() => checkSelectQuery("select 1; drop table people"), "query", /多条语句/);
  refused(() => checkSelectQuery("select 1; select 2;"), "query", /多条语句/);
  refused(() => checkSelectQuery("select * into copy_of_people from people"), "query", /INTO/);
  refused(() => checkSelectQuery("with d as (delete from people returning *) select * from d"), "query", /DELETE/);
  refused(() => checkSelectQuery("select * from people for update"), "query", /行锁/);
  refused(() => checkSelectQuery("select * from people for no key update"), "query", /行锁/);
  refused(() => checkSelectQuery("select 'unterminated"), "query", /未闭合的字符串/);
  refused(() => checkSelectQuery("select 1 /* open"), "query", /未闭合的注释/);
  refused(() => checkSelectQuery("select $a$ open"), "query", /美元/);
});
