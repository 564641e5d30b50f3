CREATE TABLE "energy_monthly" (
	"charger_id" text NOT NULL,
	"month" date NOT NULL,
	"energy_wh" bigint DEFAULT 0 NOT NULL,
	"minutes" double precision DEFAULT 0 NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "energy_monthly_charger_id_month_pk" PRIMARY KEY("charger_id","month"),
	CONSTRAINT "energy_monthly_nonneg" CHECK ("energy_monthly"."energy_wh" >= 0 and "energy_monthly"."sessions" >= 0)
);
--> statement-breakpoint
ALTER TABLE "energy_monthly" ADD CONSTRAINT "energy_monthly_charger_id_chargers_id_fk" FOREIGN KEY ("charger_id") REFERENCES "public"."chargers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "energy_monthly_month_idx" ON "energy_monthly" USING btree ("month");--> statement-breakpoint
CREATE INDEX "transactions_started_id_idx" ON "transactions" USING btree ("started_at","id");--> statement-breakpoint
-- energy_monthly follows energy_daily in the same transaction (see db/schema/rollups.ts).
CREATE FUNCTION "energy_monthly_follow"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "energy_monthly" SET
      "energy_wh" = "energy_wh" - OLD."energy_wh",
      "minutes" = "minutes" - OLD."minutes",
      "sessions" = "sessions" - OLD."sessions"
    WHERE "charger_id" = OLD."charger_id" AND "month" = date_trunc('month', OLD."day")::date;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "energy_monthly" ("charger_id", "month", "energy_wh", "minutes", "sessions")
    VALUES (NEW."charger_id", date_trunc('month', NEW."day")::date, NEW."energy_wh", NEW."minutes", NEW."sessions")
    ON CONFLICT ("charger_id", "month") DO UPDATE SET
      "energy_wh" = "energy_monthly"."energy_wh" + EXCLUDED."energy_wh",
      "minutes" = "energy_monthly"."minutes" + EXCLUDED."minutes",
      "sessions" = "energy_monthly"."sessions" + EXCLUDED."sessions";
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "energy_daily_to_monthly" AFTER INSERT OR UPDATE OR DELETE ON "energy_daily"
  FOR EACH ROW EXECUTE FUNCTION "energy_monthly_follow"();
--> statement-breakpoint
INSERT INTO "energy_monthly" ("charger_id", "month", "energy_wh", "minutes", "sessions")
  SELECT "charger_id", date_trunc('month', "day")::date, sum("energy_wh"), sum("minutes"), sum("sessions")
  FROM "energy_daily" GROUP BY 1, 2;
