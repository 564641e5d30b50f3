CREATE TABLE "alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"charger_id" text,
	"transaction_id" integer,
	"message" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dedup_key" text,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	CONSTRAINT "alerts_dedup_key" UNIQUE("dedup_key"),
	CONSTRAINT "alerts_severity" CHECK ("alerts"."severity" in ('info','warning','critical')),
	CONSTRAINT "alerts_ack" CHECK (("alerts"."acknowledged_at" is null) = ("alerts"."acknowledged_by" is null))
);
--> statement-breakpoint
ALTER TABLE "transactions" DROP CONSTRAINT "transactions_start_dedup";--> statement-breakpoint
ALTER TABLE "chargers" ADD COLUMN "clock_skew_ms" bigint;--> statement-breakpoint
ALTER TABLE "chargers" ADD COLUMN "clock_skew_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "charger_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "charger_stopped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "anomaly_reasons" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "energy_review" text;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "energy_reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "energy_reviewed_by" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_charger_id_chargers_id_fk" FOREIGN KEY ("charger_id") REFERENCES "public"."chargers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."transactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_at_idx" ON "alerts" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "alerts_transaction_idx" ON "alerts" USING btree ("transaction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transactions_start_dedup" ON "transactions" USING btree ("charger_id","connector_id","id_tag","meter_start",coalesce("charger_started_at", "started_at"));--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_energy_review" CHECK ("transactions"."energy_review" is null or ("transactions"."meter_anomaly" and "transactions"."energy_review" in ('pending','confirmed','rejected')));