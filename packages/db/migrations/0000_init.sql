CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "keys" (
	"token" text PRIMARY KEY NOT NULL,
	"key_name" text NOT NULL,
	"key_alias" text,
	"user_id" text,
	"team_id" text,
	"key_type" text DEFAULT 'default' NOT NULL,
	"models" text[] DEFAULT '{}' NOT NULL,
	"aliases" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"max_budget_micros" bigint,
	"budget_duration" text,
	"budget_reset_at" timestamp with time zone,
	"spend_micros" bigint DEFAULT 0 NOT NULL,
	"rpm_limit" integer,
	"tpm_limit" integer,
	"max_parallel_requests" integer,
	"expires" timestamp with time zone,
	"blocked" boolean DEFAULT false NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enforced_params" text[] DEFAULT '{}' NOT NULL,
	"allowed_routes" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"document" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "spend_logs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"key_hash" text,
	"team_id" text,
	"user_id" text,
	"model" text NOT NULL,
	"deployment_id" text,
	"provider_model" text,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"total_tokens" integer DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"status" integer NOT NULL,
	"stream" boolean DEFAULT false NOT NULL,
	"usage_estimated" boolean DEFAULT false NOT NULL,
	"unpriced" boolean DEFAULT false NOT NULL,
	"aborted" boolean DEFAULT false NOT NULL,
	"error_type" text,
	"started_at" timestamp with time zone NOT NULL,
	"duration_ms" integer DEFAULT 0 NOT NULL,
	"ttfb_ms" integer,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text DEFAULT 'user' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_members_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"team_id" text PRIMARY KEY NOT NULL,
	"team_alias" text,
	"models" text[] DEFAULT '{}' NOT NULL,
	"max_budget_micros" bigint,
	"budget_duration" text,
	"budget_reset_at" timestamp with time zone,
	"spend_micros" bigint DEFAULT 0 NOT NULL,
	"rpm_limit" integer,
	"tpm_limit" integer,
	"max_parallel_requests" integer,
	"blocked" boolean DEFAULT false NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"user_id" text PRIMARY KEY NOT NULL,
	"user_email" text,
	"user_role" text DEFAULT 'internal_user' NOT NULL,
	"models" text[] DEFAULT '{}' NOT NULL,
	"max_budget_micros" bigint,
	"budget_duration" text,
	"budget_reset_at" timestamp with time zone,
	"spend_micros" bigint DEFAULT 0 NOT NULL,
	"rpm_limit" integer,
	"tpm_limit" integer,
	"max_parallel_requests" integer,
	"blocked" boolean DEFAULT false NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
ALTER TABLE "keys" ADD CONSTRAINT "keys_team_id_teams_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "teams"("team_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "teams"("team_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_object_idx" ON "audit_log" USING btree ("object_type","object_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor","at");--> statement-breakpoint
CREATE UNIQUE INDEX "keys_key_alias_key" ON "keys" USING btree ("key_alias");--> statement-breakpoint
CREATE INDEX "keys_team_id_idx" ON "keys" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "keys_user_id_idx" ON "keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "keys_created_at_idx" ON "keys" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "policies_name_key" ON "policies" USING btree ("name");--> statement-breakpoint
CREATE INDEX "spend_logs_key_hash_started_at_idx" ON "spend_logs" USING btree ("key_hash","started_at");--> statement-breakpoint
CREATE INDEX "spend_logs_team_id_started_at_idx" ON "spend_logs" USING btree ("team_id","started_at");--> statement-breakpoint
CREATE INDEX "spend_logs_user_id_started_at_idx" ON "spend_logs" USING btree ("user_id","started_at");--> statement-breakpoint
CREATE INDEX "spend_logs_model_started_at_idx" ON "spend_logs" USING btree ("model","started_at");--> statement-breakpoint
CREATE INDEX "spend_logs_started_at_idx" ON "spend_logs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "spend_logs_request_id_idx" ON "spend_logs" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "team_members_user_id_idx" ON "team_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "teams_team_alias_idx" ON "teams" USING btree ("team_alias");--> statement-breakpoint
CREATE INDEX "teams_created_at_idx" ON "teams" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "users_user_email_idx" ON "users" USING btree ("user_email");--> statement-breakpoint
CREATE INDEX "users_created_at_idx" ON "users" USING btree ("created_at");