CREATE TABLE "alert_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" bigint NOT NULL,
	"notice" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	CONSTRAINT "alert_outbox_notice" CHECK ("alert_outbox"."notice" in ('raised','cleared'))
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "connector_id" integer;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "cause" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "cleared_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert_outbox" ADD CONSTRAINT "alert_outbox_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_outbox_unpublished" ON "alert_outbox" USING btree ("id") WHERE "alert_outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "alert_outbox_unsettled" ON "alert_outbox" USING btree ("next_attempt_at","id") WHERE "alert_outbox"."settled_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_cause" ON "alerts" USING btree ("kind","cause") WHERE "alerts"."cleared_at" is null and "alerts"."cause" is not null;--> statement-breakpoint
CREATE INDEX "alerts_open_idx" ON "alerts" USING btree ("at","id") WHERE "alerts"."cleared_at" is null;--> statement-breakpoint
-- Alerts from before this release that an operator already acknowledged (the
-- energy review of a session) are over: cleared at their acknowledgement,
-- before the outbox exists, so nothing old is announced or sent.
UPDATE "alerts" SET "cleared_at" = "acknowledged_at" WHERE "acknowledged_at" IS NOT NULL;--> statement-breakpoint
-- Every raise and every clear of an alert is queued in alert_outbox by the
-- statement that made it, whichever code path ran it (db/schema/alerts.ts):
-- the live stream and the webhook read it from there, so none is lost to a
-- crash between the write and the announcement. Stamped with the alert's own
-- instants (the injected clock), not the database's.
CREATE FUNCTION "alert_outbox_follow"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "alert_outbox" ("alert_id", "notice", "created_at", "next_attempt_at")
    VALUES (NEW."id", 'raised', NEW."at", NEW."at");
  END IF;
  IF NEW."cleared_at" IS NOT NULL AND (TG_OP = 'INSERT' OR OLD."cleared_at" IS NULL) THEN
    INSERT INTO "alert_outbox" ("alert_id", "notice", "created_at", "next_attempt_at")
    VALUES (NEW."id", 'cleared', NEW."cleared_at", NEW."cleared_at");
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "alerts_to_outbox" AFTER INSERT OR UPDATE OF "cleared_at" ON "alerts"
  FOR EACH ROW EXECUTE FUNCTION "alert_outbox_follow"();
