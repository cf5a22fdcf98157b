# This file is auto-generated from the current state of the database. Instead
# of editing this file, please use the migrations feature of Active Record to
# incrementally modify your database, and then regenerate this schema definition.
#
# This file is the source Rails uses to define your schema when running `bin/rails
# db:schema:load`. When creating a new database, `bin/rails db:schema:load` tends to
# be faster and is potentially less error prone than running all of your
# migrations from scratch. Old migrations may fail to apply correctly if those
# migrations use external dependencies or application code.
#
# It's strongly recommended that you check this file into your version control system.

ActiveRecord::Schema[7.1].define(version: 2024_05_14_093012) do
  # These are extensions that must be enabled in order to support this database
  enable_extension "pgcrypto"
  enable_extension "plpgsql"

  # Custom types defined in this database.
  # Note that some types may not work with other database engines. Be careful if changing database.
  create_enum "post_status", ["draft", "published", "archived"]

  create_schema "audit"

  create_table "audit.events", force: :cascade do |t|
    t.string "action", null: false
    t.jsonb "payload", default: {}, null: false
    t.datetime "created_at", null: false
    t.index ["action", "created_at"], name: "index_audit_events_on_action_and_created_at"
  end

  create_table "comments", force: :cascade do |t|
    t.string "commentable_type", null: false
    t.bigint "commentable_id", null: false
    t.bigint "author_id"
    t.text "body"
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index ["commentable_type", "commentable_id"], name: "index_comments_on_commentable"
  end

  create_table "memberships", primary_key: ["organization_id", "user_id"], force: :cascade do |t|
    t.uuid "organization_id", null: false
    t.bigint "user_id", null: false
    t.string "role", default: "member", null: false
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index ["user_id"], name: "index_memberships_on_user_id"
  end

  create_table "organizations", id: :uuid, default: -> { "gen_random_uuid()" }, force: :cascade do |t|
    t.string "name", null: false
    t.string "slug", null: false
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index "lower((slug)::text)", name: "index_organizations_on_lower_slug", unique: true
  end

  create_table "posts", force: :cascade do |t|
    t.bigint "author_id", null: false
    t.uuid "organization_id"
    t.string "title", null: false
    t.string "tags", default: [], array: true
    t.enum "status", default: "draft", null: false, enum_type: "post_status"
    t.integer "position"
    t.datetime "deleted_at"
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index ["author_id", "created_at"], name: "index_posts_on_author_id_and_created_at", order: { created_at: :desc }
    t.index ["organization_id"], name: "index_posts_on_organization_id", where: "(deleted_at IS NULL)"
    t.index ["tags"], name: "index_posts_on_tags", using: :gin
    t.index ["title"], name: "index_posts_on_title", opclass: :text_pattern_ops
    t.check_constraint "char_length((title)::text) <= 300", name: "title_length"
    t.unique_constraint ["organization_id", "position"], deferrable: :deferred, name: "unique_post_position"
  end

  create_table "taggings", id: false, force: :cascade do |t|
    t.bigint "post_id", null: false
    t.string "tag", null: false
    t.index ["post_id", "tag"], name: "index_taggings_on_post_id_and_tag", unique: true
  end

  create_table "users", force: :cascade do |t|
    t.string "email", default: "", null: false
    t.string "encrypted_password", default: "", null: false
    t.string "name"
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index "lower((email)::text)", name: "index_users_on_lower_email", unique: true
    t.index ["email"], name: "index_users_on_email", unique: true
  end

  add_foreign_key "comments", "users", column: "author_id"
  add_foreign_key "memberships", "organizations"
  add_foreign_key "memberships", "users", on_delete: :cascade
  add_foreign_key "posts", "organizations"
  add_foreign_key "posts", "users", column: "author_id", name: "fk_posts_author"
  add_foreign_key "taggings", "posts"
end
