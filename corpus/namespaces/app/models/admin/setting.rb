# Added to the code base before its migration: there is no admin_settings table.
class Admin::Setting < ApplicationRecord
  belongs_to :user
end
