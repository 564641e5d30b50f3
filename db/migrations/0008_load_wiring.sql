CREATE TABLE "circuits" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent_id" integer,
	"limit_a" double precision NOT NULL,
	"limit_b" double precision NOT NULL,
	"limit_c" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "circuits_name_unique" UNIQUE("name"),
	CONSTRAINT "circuits_limits" CHECK ("circuits"."limit_a" >= 0 and "circuits"."limit_b" >= 0 and "circuits"."limit_c" >= 0),
	CONSTRAINT "circuits_not_own_parent" CHECK ("circuits"."parent_id" is null or "circuits"."parent_id" <> "circuits"."id")
);
--> statement-breakpoint
ALTER TABLE "chargers" ADD COLUMN "phase_rotation" text;--> statement-breakpoint
ALTER TABLE "chargers" ADD COLUMN "circuit_id" integer;--> statement-breakpoint
ALTER TABLE "circuits" ADD CONSTRAINT "circuits_parent_id_circuits_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."circuits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chargers" ADD CONSTRAINT "chargers_circuit_id_circuits_id_fk" FOREIGN KEY ("circuit_id") REFERENCES "public"."circuits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chargers" ADD CONSTRAINT "chargers_max_phase" CHECK ("chargers"."max_phase" between 1 and 3);--> statement-breakpoint
ALTER TABLE "chargers" ADD CONSTRAINT "chargers_phase_rotation" CHECK (phase_rotation is null or phase_rotation in ('ABC','ACB','BAC','BCA','CAB','CBA'));