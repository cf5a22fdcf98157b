# Moderators live in their own table, named the way engines and older apps do,
# with the class's prefix and suffix spelled out.
class Moderator < ApplicationRecord
  self.table_name = "#{table_name_prefix}moderators#{table_name_suffix}"

  belongs_to :user
end
