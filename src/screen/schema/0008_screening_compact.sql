-- Compact screenings (issue #7 item 8): a screening keeps its answers (compressed, see
-- src/screen/stored_screening.h) and what the engine needs to evaluate them again, and the
-- result is recomputed on read instead of storing ~45 KB of rendered explanation. `result` is
-- '' for such rows; rows written before keep their stored result and are read as they are
-- (`ctip screen compact` converts them after checking that the recomputed result is the same).
-- requested_profile: the profile the request named (NULL: none, the screener routed it).
ALTER TABLE screenings ADD COLUMN requested_profile TEXT;
