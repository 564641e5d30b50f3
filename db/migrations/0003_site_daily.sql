CREATE TABLE "energy_site_daily" (
	"day" date PRIMARY KEY NOT NULL,
	"energy_wh" bigint DEFAULT 0 NOT NULL,
	"minutes" double precision DEFAULT 0 NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "energy_site_daily_nonneg" CHECK ("energy_site_daily"."energy_wh" >= 0 and "energy_site_daily"."sessions" >= 0)
);
--> statement-breakpoint
-- energy_site_daily follows energy_daily in the same transaction (see db/schema/rollups.ts).
CREATE FUNCTION "energy_site_daily_follow"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "energy_site_daily" SET
      "energy_wh" = "energy_wh" - OLD."energy_wh",
      "minutes" = "minutes" - OLD."minutes",
      "sessions" = "sessions" - OLD."sessions"
    WHERE "day" = OLD."day";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "energy_site_daily" ("day", "energy_wh", "minutes", "sessions")
    VALUES (NEW."day", NEW."energy_wh", NEW."minutes", NEW."sessions")
    ON CONFLICT ("day") DO UPDATE SET
      "energy_wh" = "energy_site_daily"."energy_wh" + EXCLUDED."energy_wh",
      "minutes" = "energy_site_daily"."minutes" + EXCLUDED."minutes",
      "sessions" = "energy_site_daily"."sessions" + EXCLUDED."sessions";
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "energy_daily_to_site_daily" AFTER INSERT OR UPDATE OR DELETE ON "energy_daily"
  FOR EACH ROW EXECUTE FUNCTION "energy_site_daily_follow"();
--> statement-breakpoint
INSERT INTO "energy_site_daily" ("day", "energy_wh", "minutes", "sessions")
  SELECT "day", sum("energy_wh"), sum("minutes"), sum("sessions") FROM "energy_daily" GROUP BY 1;
