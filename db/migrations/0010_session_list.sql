DROP INDEX "meter_values_tx_idx";--> statement-breakpoint
DROP INDEX "transactions_charger_started_idx";--> statement-breakpoint
CREATE INDEX "meter_values_tx_time_idx" ON "meter_values" USING btree ("transaction_id","timestamp");--> statement-breakpoint
CREATE INDEX "transactions_charger_started_id_idx" ON "transactions" USING btree ("charger_id","started_at","id");--> statement-breakpoint
CREATE INDEX "transactions_duration_id_idx" ON "transactions" USING btree (coalesce(extract(epoch from ("stopped_at" - "started_at")), -1),"id");--> statement-breakpoint
CREATE INDEX "transactions_charger_duration_id_idx" ON "transactions" USING btree ("charger_id",coalesce(extract(epoch from ("stopped_at" - "started_at")), -1),"id");--> statement-breakpoint
CREATE INDEX "transactions_energy_id_idx" ON "transactions" USING btree (coalesce("energy_wh", -1),"id");--> statement-breakpoint
CREATE INDEX "transactions_charger_energy_id_idx" ON "transactions" USING btree ("charger_id",coalesce("energy_wh", -1),"id");--> statement-breakpoint
CREATE INDEX "transactions_id_tag_started_id_idx" ON "transactions" USING btree (lower("id_tag"),"started_at","id");--> statement-breakpoint
CREATE INDEX "transactions_stop_reason_started_id_idx" ON "transactions" USING btree ("stop_reason","started_at","id");