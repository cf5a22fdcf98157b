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

ActiveRecord::Schema.define(version: 2023_07_04_080000) do

  create_table "cats", force: :cascade do |t|
    t.integer "owner_id"
    t.integer "shelter_id", null: false
    t.string "name", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["shelter_id"], name: "index_cats_on_shelter_id"
  end

  create_table "dogs", force: :cascade do |t|
    t.integer "owner_id"
    t.integer "shelter_id", null: false
    t.string "name", null: false
    t.string "breed"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["owner_id"], name: "index_dogs_on_owner_id"
    t.index ["shelter_id", "name"], name: "index_dogs_on_shelter_id_and_name"
  end

  create_table "shelters", force: :cascade do |t|
    t.string "name", null: false
    t.string "city", null: false
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["name", "city"], name: "index_shelters_on_name_and_city", unique: true
  end

  create_table "vet_visits", force: :cascade do |t|
    t.integer "dog_id", null: false
    t.datetime "visited_at", null: false
    t.text "notes"
    t.datetime "created_at", precision: 6, null: false
    t.datetime "updated_at", precision: 6, null: false
    t.index ["dog_id", "visited_at"], name: "index_vet_visits_on_dog_id_and_visited_at"
  end

  add_foreign_key "cats", "shelters"
  add_foreign_key "dogs", "shelters"
  add_foreign_key "vet_visits", "dogs"
end
