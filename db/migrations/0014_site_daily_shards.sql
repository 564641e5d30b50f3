-- A site day becomes SITE_DAILY_SHARDS (16) rows, one per shard of the
-- charger ids, summed on read (see db/schema/rollups.ts energySiteDaily): one
-- row per day was updated by every stop on the site and its lock held until
-- commit, so stops queued behind each other.
ALTER TABLE "energy_site_daily" DROP CONSTRAINT "energy_site_daily_pkey";--> statement-breakpoint
ALTER TABLE "energy_site_daily" ADD COLUMN "shard" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "energy_site_daily" ADD CONSTRAINT "energy_site_daily_day_shard_pk" PRIMARY KEY("day","shard");--> statement-breakpoint
-- The shard of a charger: the low 4 bits of its id's first MD5 byte, the same
-- in every PostgreSQL version and in PGlite (hashtext is internal and may change).
CREATE FUNCTION "energy_site_shard"(charger_id text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT get_byte(decode(md5(charger_id), 'hex'), 0) & 15
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "energy_site_daily_follow"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "energy_site_daily" SET
      "energy_wh" = "energy_wh" - OLD."energy_wh",
      "minutes" = "minutes" - OLD."minutes",
      "sessions" = "sessions" - OLD."sessions"
    WHERE "day" = OLD."day" AND "shard" = "energy_site_shard"(OLD."charger_id");
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "energy_site_daily" ("day", "shard", "energy_wh", "minutes", "sessions")
    VALUES (NEW."day", "energy_site_shard"(NEW."charger_id"), NEW."energy_wh", NEW."minutes", NEW."sessions")
    ON CONFLICT ("day", "shard") DO UPDATE SET
      "energy_wh" = "energy_site_daily"."energy_wh" + EXCLUDED."energy_wh",
      "minutes" = "energy_site_daily"."minutes" + EXCLUDED."minutes",
      "sessions" = "energy_site_daily"."sessions" + EXCLUDED."sessions";
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
DELETE FROM "energy_site_daily";--> statement-breakpoint
INSERT INTO "energy_site_daily" ("day", "shard", "energy_wh", "minutes", "sessions")
  SELECT "day", "energy_site_shard"("charger_id"), sum("energy_wh"), sum("minutes"), sum("sessions")
  FROM "energy_daily" GROUP BY 1, 2;
