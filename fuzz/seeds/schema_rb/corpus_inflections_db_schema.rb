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

ActiveRecord::Schema.define(version: 2024_01_09_093000) do

  create_table "api_keys", force: :cascade do |t|
    t.integer "person_id", null: false
    t.string "token", null: false
    t.datetime "revoked_at"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["person_id"], name: "index_api_keys_on_person_id"
    t.index ["token"], name: "index_api_keys_on_token", unique: true
  end

  create_table "api_requests", force: :cascade do |t|
    t.integer "api_key_id", null: false
    t.string "path", null: false
    t.integer "status_code"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["api_key_id", "created_at"], name: "index_api_requests_on_api_key_id_and_created_at"
  end

  create_table "bonus", force: :cascade do |t|
    t.integer "salesperson_id", null: false
    t.integer "amount_cents", null: false
    t.boolean "paid", default: false, null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["salesperson_id"], name: "index_bonus_on_salesperson_id"
  end

  create_table "buses", force: :cascade do |t|
    t.integer "status_id"
    t.integer "driver_id"
    t.string "plate", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["driver_id"], name: "index_buses_on_driver_id"
  end

  create_table "cacti", force: :cascade do |t|
    t.string "species", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
  end

  create_table "cacti_moose", id: false, force: :cascade do |t|
    t.integer "cactus_id", null: false
    t.integer "moose_id", null: false
    t.index ["cactus_id", "moose_id"], name: "index_cacti_moose_on_cactus_id_and_moose_id", unique: true
    t.index ["moose_id"], name: "index_cacti_moose_on_moose_id"
  end

  create_table "criteria", force: :cascade do |t|
    t.integer "datum_id", null: false
    t.string "expression", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["datum_id"], name: "index_criteria_on_datum_id"
  end

  create_table "data", force: :cascade do |t|
    t.integer "person_id", null: false
    t.text "value"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["person_id"], name: "index_data_on_person_id"
  end

  create_table "equipment_log", force: :cascade do |t|
    t.integer "person_id", null: false
    t.string "item", null: false
    t.datetime "checked_out_at"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
  end

  create_table "humen", force: :cascade do |t|
    t.string "name", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
  end

  create_table "leafs", force: :cascade do |t|
    t.integer "cactus_id", null: false
    t.integer "length_mm"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["cactus_id"], name: "index_leafs_on_cactus_id"
  end

  create_table "moose", force: :cascade do |t|
    t.string "name", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
  end

  create_table "octopi", force: :cascade do |t|
    t.integer "keeper_id", null: false
    t.string "name", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["keeper_id"], name: "index_octopi_on_keeper_id"
  end

  create_table "people", force: :cascade do |t|
    t.integer "human_id"
    t.integer "bus_id"
    t.string "name", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["bus_id"], name: "index_people_on_bus_id"
  end

  create_table "salespeople", force: :cascade do |t|
    t.string "name", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
  end

  create_table "statuses", force: :cascade do |t|
    t.string "subject_type", null: false
    t.integer "subject_id", null: false
    t.string "label", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["subject_type", "subject_id"], name: "index_statuses_on_subject"
  end

  add_foreign_key "api_keys", "people"
  add_foreign_key "api_requests", "api_keys"
  add_foreign_key "bonus", "salespeople"
  add_foreign_key "criteria", "data"
  add_foreign_key "data", "people"
  add_foreign_key "equipment_log", "people"
  add_foreign_key "leafs", "cacti"
  add_foreign_key "octopi", "people", column: "keeper_id"
end
