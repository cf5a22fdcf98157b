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

ActiveRecord::Schema.define(version: 2021_05_01_000000) do

  create_table "accounts", force: :cascade do |t|
    t.string "name", null: false
    t.string "subdomain"
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.json "preferences", default: {}, null: false
    t.index ["name"], name: "index_accounts_on_name"
    t.index ["subdomain"], name: "index_accounts_on_subdomain", unique: true
  end

  create_table "billing_invoices", force: :cascade do |t|
    t.integer "account_id"
    t.string "number", null: false
    t.integer "total_cents", default: 0, null: false
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.string "state"
    t.index ["account_id"], name: "index_billing_invoices_on_account_id"
    t.index ["number"], name: "index_billing_invoices_on_number", unique: true
    t.index ["state"], name: "index_billing_invoices_on_state"
  end

  create_table "billing_payments", force: :cascade do |t|
    t.integer "invoice_id"
    t.integer "amount_cents", null: false
    t.string "state"
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index ["state"], name: "index_billing_payments_on_state"
  end

  create_table "blog_comments", force: :cascade do |t|
    t.integer "post_id", null: false
    t.integer "user_id"
    t.text "body"
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.integer "editor_id"
    t.index ["editor_id"], name: "index_blog_comments_on_editor_id"
    t.index ["post_id"], name: "index_blog_comments_on_post_id"
  end

  create_table "blog_posts", force: :cascade do |t|
    t.integer "author_id"
    t.string "title", null: false
    t.string "slug", null: false
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.datetime "published_at"
    t.index ["author_id"], name: "index_blog_posts_on_author_id"
    t.index ["published_at"], name: "index_blog_posts_on_published_at"
    t.index ["slug"], name: "index_blog_posts_on_slug", unique: true
  end

  create_table "notes", force: :cascade do |t|
    t.integer "account_id", null: false
    t.text "body"
    t.index ["account_id"], name: "index_notes_on_account_id"
  end

  create_table "settings", force: :cascade do |t|
    t.string "key", null: false
    t.text "value"
    t.index ["key", "value"], name: "index_settings_on_key_and_value"
    t.index ["key"], name: "index_settings_on_key", unique: true
  end

  create_table "users", force: :cascade do |t|
    t.integer "account_id"
    t.string "email", null: false
    t.string "role"
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.json "preferences", default: {}, null: false
    t.index ["account_id"], name: "index_users_on_account_id"
    t.index ["email"], name: "index_users_on_email", unique: true
  end

  add_foreign_key "billing_invoices", "accounts"
  add_foreign_key "billing_payments", "billing_invoices", column: "invoice_id"
  add_foreign_key "blog_comments", "users", column: "editor_id"
  add_foreign_key "notes", "accounts"
end
