ALTER TABLE "alert_outbox" ADD COLUMN "email_settled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert_outbox" ADD COLUMN "email_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_outbox" ADD COLUMN "email_next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert_outbox" ADD COLUMN "email_last_error" text;--> statement-breakpoint
-- Notices from before this release were raised while no e-mail channel
-- existed: settled for it at once, as any notice raised while a channel is not
-- configured is, so upgrading does not mail out the past.
UPDATE "alert_outbox" SET "email_settled_at" = COALESCE("published_at", "created_at"), "email_next_attempt_at" = "created_at";--> statement-breakpoint
ALTER TABLE "alert_outbox" ALTER COLUMN "email_next_attempt_at" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "alert_outbox_email_unsettled" ON "alert_outbox" USING btree ("email_next_attempt_at","id") WHERE "alert_outbox"."email_settled_at" is null;--> statement-breakpoint
-- The outbox trigger of 0012 now stamps each channel's first attempt with the
-- alert's own instant (the injected clock), as it did the webhook's.
CREATE OR REPLACE FUNCTION "alert_outbox_follow"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "alert_outbox" ("alert_id", "notice", "created_at", "next_attempt_at", "email_next_attempt_at")
    VALUES (NEW."id", 'raised', NEW."at", NEW."at", NEW."at");
  END IF;
  IF NEW."cleared_at" IS NOT NULL AND (TG_OP = 'INSERT' OR OLD."cleared_at" IS NULL) THEN
    INSERT INTO "alert_outbox" ("alert_id", "notice", "created_at", "next_attempt_at", "email_next_attempt_at")
    VALUES (NEW."id", 'cleared', NEW."cleared_at", NEW."cleared_at", NEW."cleared_at");
  END IF;
  RETURN NULL;
END
$$;
