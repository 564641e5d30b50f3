CREATE TABLE "ocpp_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"charger_id" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"direction" text NOT NULL,
	"message_type" text NOT NULL,
	"message_id" text,
	"action" text,
	"payload" jsonb,
	"error_code" text,
	"duration_ms" integer,
	"size" integer NOT NULL,
	CONSTRAINT "ocpp_messages_direction" CHECK ("ocpp_messages"."direction" in ('in','out')),
	CONSTRAINT "ocpp_messages_type" CHECK ("ocpp_messages"."message_type" in ('CALL','CALLRESULT','CALLERROR','INVALID'))
);
--> statement-breakpoint
-- Existing connectors: since their last StatusNotification, the best the stored rows know.
ALTER TABLE "connectors" ADD COLUMN "status_since" timestamp with time zone;--> statement-breakpoint
UPDATE "connectors" SET "status_since" = "status_at";--> statement-breakpoint
ALTER TABLE "connectors" ALTER COLUMN "status_since" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "ocpp_messages_charger_idx" ON "ocpp_messages" USING btree ("charger_id","id");--> statement-breakpoint
CREATE INDEX "ocpp_messages_at_idx" ON "ocpp_messages" USING btree ("at");