CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "api_tokens_role_check" CHECK ("api_tokens"."role" in ('viewer','operator','admin'))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('viewer','operator','admin'))
);
--> statement-breakpoint
CREATE TABLE "site_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"vchcardreadercom" text DEFAULT 'Com10' NOT NULL,
	"yeainstallyear" text DEFAULT '2013' NOT NULL,
	"intinstallmonth" integer DEFAULT 100 NOT NULL,
	"blncurrentdistribution" integer DEFAULT 1 NOT NULL,
	"vchpowermetercom" text DEFAULT 'Com4' NOT NULL,
	"vchpowersequence" text DEFAULT 'ABC' NOT NULL,
	"intcurrency" integer DEFAULT 86 NOT NULL,
	"dblchargingdeductionpower" double precision DEFAULT 3 NOT NULL,
	"intchargingdeductionminute" integer DEFAULT 120 NOT NULL,
	"intdeductionprioritypower" integer DEFAULT 2 NOT NULL,
	"intdeductionpriorityminute" integer DEFAULT 1 NOT NULL,
	"dblpowercoefficient" double precision DEFAULT 0.001 NOT NULL,
	"blninternaltesting" integer DEFAULT 1 NOT NULL,
	"intmaxcurrenta" integer DEFAULT 32 NOT NULL,
	"intmaxcurrentb" integer DEFAULT 32 NOT NULL,
	"intmaxcurrentc" integer DEFAULT 32 NOT NULL,
	"updated_at" timestamp with time zone,
	"updated_by" text,
	CONSTRAINT "site_settings_single_row" CHECK ("site_settings"."id" = 1),
	CONSTRAINT "site_settings_flags" CHECK ("site_settings"."blncurrentdistribution" in (0,1) and "site_settings"."blninternaltesting" in (0,1)),
	CONSTRAINT "site_settings_sequence" CHECK ("site_settings"."vchpowersequence" in ('ABC','ACB','BAC','BCA','CAB','CBA')),
	CONSTRAINT "site_settings_currents" CHECK ("site_settings"."intmaxcurrenta" >= 0 and "site_settings"."intmaxcurrentb" >= 0 and "site_settings"."intmaxcurrentc" >= 0)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "chargers" (
	"id" text PRIMARY KEY NOT NULL,
	"secret_hash" text,
	"registration" text DEFAULT 'Accepted' NOT NULL,
	"description" text,
	"vendor" text,
	"model" text,
	"serial_number" text,
	"charge_box_serial_number" text,
	"firmware_version" text,
	"iccid" text,
	"imsi" text,
	"meter_type" text,
	"meter_serial_number" text,
	"ip" text,
	"mac" text,
	"socket_type" text DEFAULT 'GBT' NOT NULL,
	"max_current" double precision DEFAULT 32 NOT NULL,
	"min_current" double precision DEFAULT 8 NOT NULL,
	"max_phase" integer DEFAULT 1 NOT NULL,
	"state" text,
	"transitional_state" text,
	"transitional_since" timestamp with time zone,
	"last_command" text,
	"session_counter" integer DEFAULT 0 NOT NULL,
	"energy_wh_total" bigint DEFAULT 0 NOT NULL,
	"minutes_total" double precision DEFAULT 0 NOT NULL,
	"firmware_status" text,
	"diagnostics_status" text,
	"heartbeat_interval" integer DEFAULT 300 NOT NULL,
	"online" boolean DEFAULT false NOT NULL,
	"last_seen_at" timestamp with time zone,
	"last_boot_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chargers_registration_check" CHECK ("chargers"."registration" in ('Accepted','Pending','Rejected')),
	CONSTRAINT "chargers_energy_nonneg" CHECK ("chargers"."energy_wh_total" >= 0 and "chargers"."minutes_total" >= 0),
	CONSTRAINT "chargers_currents" CHECK ("chargers"."min_current" >= 0 and "chargers"."max_current" >= "chargers"."min_current")
);
--> statement-breakpoint
CREATE TABLE "connectors" (
	"charger_id" text NOT NULL,
	"connector_id" integer NOT NULL,
	"status" text NOT NULL,
	"error_code" text DEFAULT 'NoError' NOT NULL,
	"info" text,
	"vendor_id" text,
	"vendor_error_code" text,
	"status_at" timestamp with time zone NOT NULL,
	"preparing_since" timestamp with time zone,
	CONSTRAINT "connectors_charger_id_connector_id_pk" PRIMARY KEY("charger_id","connector_id")
);
--> statement-breakpoint
CREATE TABLE "charger_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"charger_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb
);
--> statement-breakpoint
CREATE TABLE "energy_daily" (
	"charger_id" text NOT NULL,
	"day" date NOT NULL,
	"energy_wh" bigint DEFAULT 0 NOT NULL,
	"minutes" double precision DEFAULT 0 NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "energy_daily_charger_id_day_pk" PRIMARY KEY("charger_id","day"),
	CONSTRAINT "energy_daily_nonneg" CHECK ("energy_daily"."energy_wh" >= 0 and "energy_daily"."minutes" >= 0 and "energy_daily"."sessions" >= 0)
);
--> statement-breakpoint
CREATE TABLE "meter_values" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"charger_id" text NOT NULL,
	"connector_id" integer NOT NULL,
	"transaction_id" integer,
	"timestamp" timestamp with time zone NOT NULL,
	"measurand" text DEFAULT 'Energy.Active.Import.Register' NOT NULL,
	"phase" text DEFAULT '' NOT NULL,
	"location" text DEFAULT 'Outlet' NOT NULL,
	"context" text DEFAULT 'Sample.Periodic' NOT NULL,
	"unit" text DEFAULT 'Wh' NOT NULL,
	"format" text DEFAULT 'Raw' NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "meter_values_dedup" UNIQUE("charger_id","connector_id","timestamp","measurand","phase","location","context")
);
--> statement-breakpoint
CREATE TABLE "transactions" (
	"id" serial PRIMARY KEY NOT NULL,
	"charger_id" text NOT NULL,
	"connector_id" integer NOT NULL,
	"id_tag" text NOT NULL,
	"session_number" integer NOT NULL,
	"meter_start" bigint NOT NULL,
	"meter_stop" bigint,
	"energy_wh" bigint,
	"meter_anomaly" boolean DEFAULT false NOT NULL,
	"queued_at" timestamp with time zone,
	"started_at" timestamp with time zone NOT NULL,
	"planned_finish_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	"stop_reason" text,
	"stop_id_tag" text,
	"reservation_id" integer,
	"live_current_a" double precision,
	"live_power_w" double precision,
	"live_energy_wh" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transactions_start_dedup" UNIQUE("charger_id","connector_id","id_tag","meter_start","started_at"),
	CONSTRAINT "transactions_energy_nonneg" CHECK ("transactions"."energy_wh" is null or "transactions"."energy_wh" >= 0)
);
--> statement-breakpoint
CREATE TABLE "id_tags" (
	"id_tag" text PRIMARY KEY NOT NULL,
	"parent_id_tag" text,
	"expiry_date" timestamp with time zone,
	"blocked" boolean DEFAULT false NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "command_log" (
	"id" serial PRIMARY KEY NOT NULL,
	"charger_id" text NOT NULL,
	"action" text NOT NULL,
	"payload" jsonb NOT NULL,
	"response" jsonb,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"error_code" text,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "battery_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"vin" text,
	"battery_no" text,
	"before" jsonb,
	"after" jsonb,
	CONSTRAINT "battery_history_subject" CHECK ("battery_history"."vin" is not null or "battery_history"."battery_no" is not null)
);
--> statement-breakpoint
CREATE TABLE "battery_packs" (
	"battery_no" text PRIMARY KEY NOT NULL,
	"bms_no" text,
	"battery_type" integer,
	"vin" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "battery_packs_bms_no_unique" UNIQUE("bms_no")
);
--> statement-breakpoint
CREATE TABLE "vehicles" (
	"vin" text PRIMARY KEY NOT NULL,
	"battery_group_no" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connectors" ADD CONSTRAINT "connectors_charger_id_chargers_id_fk" FOREIGN KEY ("charger_id") REFERENCES "public"."chargers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charger_events" ADD CONSTRAINT "charger_events_charger_id_chargers_id_fk" FOREIGN KEY ("charger_id") REFERENCES "public"."chargers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "energy_daily" ADD CONSTRAINT "energy_daily_charger_id_chargers_id_fk" FOREIGN KEY ("charger_id") REFERENCES "public"."chargers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_values" ADD CONSTRAINT "meter_values_charger_id_chargers_id_fk" FOREIGN KEY ("charger_id") REFERENCES "public"."chargers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_charger_id_chargers_id_fk" FOREIGN KEY ("charger_id") REFERENCES "public"."chargers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "battery_packs" ADD CONSTRAINT "battery_packs_vin_vehicles_vin_fk" FOREIGN KEY ("vin") REFERENCES "public"."vehicles"("vin") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "charger_events_charger_at_idx" ON "charger_events" USING btree ("charger_id","at");--> statement-breakpoint
CREATE INDEX "energy_daily_day_idx" ON "energy_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "meter_values_tx_idx" ON "meter_values" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "transactions_charger_started_idx" ON "transactions" USING btree ("charger_id","started_at");--> statement-breakpoint
CREATE INDEX "transactions_started_idx" ON "transactions" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "transactions_stopped_idx" ON "transactions" USING btree ("stopped_at");--> statement-breakpoint
CREATE INDEX "transactions_open_idx" ON "transactions" USING btree ("charger_id") WHERE "transactions"."stopped_at" is null;--> statement-breakpoint
CREATE INDEX "command_log_charger_idx" ON "command_log" USING btree ("charger_id","requested_at");--> statement-breakpoint
CREATE INDEX "battery_history_vin_idx" ON "battery_history" USING btree ("vin","at");--> statement-breakpoint
CREATE INDEX "battery_history_pack_idx" ON "battery_history" USING btree ("battery_no","at");--> statement-breakpoint
CREATE INDEX "battery_packs_vin_idx" ON "battery_packs" USING btree ("vin");