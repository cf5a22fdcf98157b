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

ActiveRecord::Schema.define(version: 2023_09_02_084512) do

  # These are extensions that must be enabled in order to support this database
  enable_extension "plpgsql"

  create_table "admin_audit_logs", force: :cascade do |t|
    t.bigint "user_id", null: false
    t.bigint "vehicle_id"
    t.string "action", null: false
    t.jsonb "payload", default: {}, null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["user_id", "created_at"], name: "index_admin_audit_logs_on_user_id_and_created_at"
  end

  create_table "admin_posts", force: :cascade do |t|
    t.bigint "user_id", null: false
    t.string "title", null: false
    t.text "body"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["user_id"], name: "index_admin_posts_on_user_id"
  end

  create_table "admin_users", force: :cascade do |t|
    t.string "login", null: false
    t.string "encrypted_password", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["login"], name: "index_admin_users_on_login", unique: true
  end

  create_table "articles", force: :cascade do |t|
    t.string "author_id", null: false
    t.string "title", null: false
    t.boolean "hidden", default: false, null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["author_id"], name: "index_articles_on_author_id"
  end

  create_table "captions", force: :cascade do |t|
    t.bigint "video_id", null: false
    t.string "language", null: false
    t.text "body"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
  end

  create_table "cargo_loads", force: :cascade do |t|
    t.bigint "truck_id", null: false
    t.string "driver_code", null: false
    t.decimal "weight_kg", precision: 10, scale: 2
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["driver_code"], name: "index_cargo_loads_on_driver_code"
    t.index ["truck_id"], name: "index_cargo_loads_on_truck_id"
  end

  create_table "content_flags", force: :cascade do |t|
    t.bigint "content_id", null: false
    t.string "reason", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["content_id"], name: "index_content_flags_on_content_id"
  end

  create_table "invoices", force: :cascade do |t|
    t.string "customer_id", null: false
    t.string "number", null: false
    t.integer "total_cents", default: 0, null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["customer_id", "number"], name: "index_invoices_on_customer_id_and_number", unique: true
  end

  create_table "legacy_people", primary_key: "person_code", id: :string, force: :cascade do |t|
    t.string "first_name"
    t.string "last_name"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
  end

  create_table "lines", force: :cascade do |t|
    t.bigint "invoice_id", null: false
    t.bigint "vehicle_id"
    t.string "description", null: false
    t.integer "amount_cents", default: 0, null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["invoice_id"], name: "index_lines_on_invoice_id"
  end

  create_table "maintenance_records", force: :cascade do |t|
    t.bigint "vehicle_id", null: false
    t.date "performed_on", null: false
    t.text "notes"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["vehicle_id", "performed_on"], name: "index_maintenance_records_on_vehicle_id_and_performed_on"
  end

  create_table "payments", force: :cascade do |t|
    t.bigint "invoice_id", null: false
    t.integer "amount_cents", null: false
    t.datetime "paid_at"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
  end

  create_table "post_revisions", force: :cascade do |t|
    t.bigint "post_id", null: false
    t.string "editor_code", null: false
    t.text "body"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["post_id"], name: "index_post_revisions_on_post_id"
  end

  create_table "posts", force: :cascade do |t|
    t.bigint "moderator_id"
    t.string "title", null: false
    t.text "body"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
  end

  create_table "sections", force: :cascade do |t|
    t.bigint "article_id", null: false
    t.integer "position", default: 0, null: false
    t.text "body"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["article_id", "position"], name: "index_sections_on_article_id_and_position", unique: true
  end

  create_table "trips", force: :cascade do |t|
    t.bigint "vehicle_id", null: false
    t.datetime "started_at"
    t.datetime "ended_at"
    t.integer "distance_m"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["vehicle_id"], name: "index_trips_on_vehicle_id"
  end

  create_table "vehicles", force: :cascade do |t|
    t.string "kind", null: false
    t.string "owner_code", null: false
    t.string "plate", null: false
    t.integer "payload_kg"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["kind"], name: "index_vehicles_on_kind"
    t.index ["owner_code"], name: "index_vehicles_on_owner_code"
    t.index ["plate"], name: "index_vehicles_on_plate", unique: true
  end

  create_table "videos", force: :cascade do |t|
    t.string "author_id", null: false
    t.string "title", null: false
    t.string "url", null: false
    t.boolean "hidden", default: false, null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["author_id"], name: "index_videos_on_author_id"
  end

  add_foreign_key "admin_audit_logs", "admin_users", column: "user_id"
  add_foreign_key "admin_posts", "admin_users", column: "user_id"
  add_foreign_key "cargo_loads", "legacy_people", column: "driver_code", primary_key: "person_code"
  add_foreign_key "cargo_loads", "vehicles", column: "truck_id"
  add_foreign_key "lines", "invoices"
  add_foreign_key "payments", "invoices"
  add_foreign_key "post_revisions", "posts"
  add_foreign_key "sections", "articles"
  add_foreign_key "trips", "vehicles"
end
