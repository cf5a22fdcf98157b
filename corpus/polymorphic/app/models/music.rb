module Music
  def self.table_name_prefix
    "music_"
  end
end
