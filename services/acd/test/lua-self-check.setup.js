process.env.ACD_LUA_SELF_CHECK = '1';
